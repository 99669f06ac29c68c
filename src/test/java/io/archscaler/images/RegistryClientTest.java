package io.archscaler.images;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.archscaler.images.FakeRegistry.DOCKER_CONFIG;
import static io.archscaler.images.FakeRegistry.DOCKER_LIST;
import static io.archscaler.images.FakeRegistry.DOCKER_MANIFEST;
import static io.archscaler.images.FakeRegistry.OCI_CONFIG;
import static io.archscaler.images.FakeRegistry.OCI_INDEX;
import static io.archscaler.images.FakeRegistry.OCI_MANIFEST;
import static io.archscaler.images.FakeRegistry.digestOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.archscaler.images.RegistryCredentials.Credential;
import io.archscaler.scaler.model.Arch;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryClientTest {
    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.v2+json";

    private FakeRegistry registry;

    @BeforeEach
    void start() {
        registry = new FakeRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private ImagePlatforms fetch(RegistryConfig config, String image, RegistryCredentials credentials) throws Exception {
        RegistryClient client = new RegistryClient(RegistryClient.newHttpClient(config), config);
        return client.fetch(ImageReference.parse(image), credentials).get(10, TimeUnit.SECONDS);
    }

    private ImagePlatforms fetch(String image) throws Exception {
        return fetch(RegistryConfig.defaults(), image, RegistryCredentials.NONE);
    }

    private ImageLookupException failure(RegistryConfig config, String image, RegistryCredentials credentials) {
        Throwable thrown = catchThrowable(() -> fetch(config, image, credentials));
        while (thrown instanceof ExecutionException || thrown instanceof CompletionException) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).isInstanceOf(ImageLookupException.class);
        return (ImageLookupException) thrown;
    }

    private static List<String> names(ImagePlatforms p) {
        return p.platforms().stream().map(Platform::toString).toList();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsPlatformsOfAnOciIndexAskingForTheListTypes() throws Exception {
        String digest = registry.multiArch("team/web", "1.0");

        ImagePlatforms p = fetch(registry.host() + "/team/web:1.0");

        assertThat(p.reference()).isEqualTo(registry.host() + "/team/web:1.0");
        assertThat(p.digest()).isEqualTo(digest);
        assertThat(names(p)).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(p.schedulableArchs()).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
        assertThat(p.multiArch()).isTrue();
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/web/manifests/1.0")).withHeader("Accept", equalTo(ACCEPT)));
    }

    @Test
    void readsPlatformsOfADockerManifestList() throws Exception {
        registry.manifest("library/nginx", "1.27", "docker-manifest-list.json", DOCKER_LIST);

        ImagePlatforms p = fetch(registry.host() + "/library/nginx:1.27");

        assertThat(names(p)).containsExactly("linux/amd64", "linux/arm/v5", "linux/arm/v7", "linux/arm64/v8",
                "linux/386", "linux/mips64le", "linux/ppc64le", "linux/s390x");
        assertThat(p.schedulableArchs()).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
    }

    @Test
    void readsTheArchitectureOfASingleManifestFromItsConfigBlob() throws Exception {
        String digest = registry.amd64Only("team/legacy", "1.0");

        ImagePlatforms p = fetch(registry.host() + "/team/legacy:1.0");

        assertThat(p.digest()).isEqualTo(digest);
        assertThat(names(p)).containsExactly("linux/amd64");
        assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
        assertThat(p.multiArch()).isFalse();
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/blobs/" + digestOf("config-amd64.json"))));
    }

    @Test
    void leavesAttestationEntriesOut() throws Exception {
        registry.manifest("team/api", "2.3.0", "oci-index-attestation.json", OCI_INDEX);
        registry.manifest("team/batch", "0.9", "oci-index-amd64-attestation.json", OCI_INDEX);

        assertThat(names(fetch(registry.host() + "/team/api:2.3.0"))).containsExactly("linux/amd64", "linux/arm64");
        ImagePlatforms batch = fetch(registry.host() + "/team/batch:0.9");
        assertThat(names(batch)).containsExactly("linux/amd64");
        assertThat(batch.schedulableArchs()).containsExactly(Arch.AMD64);
    }

    @Test
    void followsNestedIndexes() throws Exception {
        registry.manifest("team/hybrid", "3", "oci-index-nested.json", OCI_INDEX);
        String child = registry.manifest("team/hybrid", "child-unused-tag", "oci-index-nested-child.json", OCI_INDEX);

        ImagePlatforms p = fetch(registry.host() + "/team/hybrid:3");

        assertThat(names(p)).containsExactly("linux/amd64", "linux/arm64/v8", "windows/amd64");
        assertThat(p.schedulableArchs()).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/hybrid/manifests/" + child)));
    }

    @Test
    void onlyLinuxPlatformsAreSchedulable() throws Exception {
        registry.manifest("team/dotnet", "8", "oci-index-windows-arm64.json", OCI_INDEX);

        ImagePlatforms p = fetch(registry.host() + "/team/dotnet:8");

        assertThat(names(p)).containsExactly("linux/amd64", "windows/arm64");
        assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
    }

    @Test
    void readsAnIndexEntryWithoutPlatformFromItsManifest() throws Exception {
        registry.manifest("team/edge", "1", "oci-index-no-platform.json", OCI_INDEX);
        registry.manifest("team/edge", "arm64-unused-tag", "oci-manifest-arm64.json", OCI_MANIFEST);
        registry.blob("team/edge", "config-arm64.json", OCI_CONFIG);

        ImagePlatforms p = fetch(registry.host() + "/team/edge:1");

        assertThat(names(p)).containsExactly("linux/arm64/v8");
        assertThat(p.schedulableArchs()).containsExactly(Arch.ARM64);
    }

    @Test
    void asksForADigestPinnedReferenceByDigest() throws Exception {
        String digest = registry.multiArch("team/web", "1.0");

        ImagePlatforms p = fetch(registry.host() + "/team/web:ignored@" + digest);

        assertThat(p.digest()).isEqualTo(digest);
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/web/manifests/" + digest)));
        registry.server.verify(0, getRequestedFor(urlEqualTo("/v2/team/web/manifests/ignored")));
    }

    @Test
    void anUnknownManifestIsNotFound() {
        registry.server.stubFor(get(urlEqualTo("/v2/team/gone/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));

        ImageLookupException e = failure(RegistryConfig.defaults(), registry.host() + "/team/gone:1.0", RegistryCredentials.NONE);

        assertThat(e.reason()).isEqualTo(FailureReason.NOT_FOUND);
        assertThat(e.toFailure("x").message()).isEqualTo("not found");
    }

    @Test
    void contentThatDoesNotMatchItsDigestIsABadManifest() {
        String digest = digestOf("oci-index-multiarch.json");
        registry.server.stubFor(get(urlEqualTo("/v2/team/web/manifests/" + digest))
                .willReturn(FakeRegistry.document("oci-index-attestation.json", OCI_INDEX)));

        ImageLookupException e = failure(RegistryConfig.defaults(), registry.host() + "/team/web@" + digest, RegistryCredentials.NONE);

        assertThat(e.reason()).isEqualTo(FailureReason.BAD_MANIFEST);
        assertThat(e.getMessage()).isEqualTo("bad manifest: content does not match digest " + digest);
    }

    @Test
    void aBodyThatIsNotJsonIsABadManifest() {
        registry.server.stubFor(get(urlEqualTo("/v2/team/web/manifests/1.0"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", OCI_INDEX).withBody("<html>proxy error</html>")));

        ImageLookupException e = failure(RegistryConfig.defaults(), registry.host() + "/team/web:1.0", RegistryCredentials.NONE);

        assertThat(e.getMessage()).isEqualTo("bad manifest: manifest is not JSON");
    }

    @Test
    void answersABearerChallengeWithAnAnonymousToken() throws Exception {
        String realm = "http://" + registry.host() + "/token";
        registry.server.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"anon-tkn-7f3a\",\"expires_in\":300,\"issued_at\":\"2026-11-22T10:00:00Z\"}")));
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"registry.example\",scope=\"repository:team/legacy:pull\"")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer anon-tkn-7f3a"))
                .willReturn(FakeRegistry.document("docker-manifest-amd64.json", DOCKER_MANIFEST)));
        String config = digestOf("config-amd64.json");
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/blobs/" + config)).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"registry.example\",scope=\"repository:team/legacy:pull\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/blobs/" + config)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer anon-tkn-7f3a"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", DOCKER_CONFIG)
                        .withBody(FakeRegistry.resource("config-amd64.json"))));

        ImagePlatforms p = fetch(registry.host() + "/team/legacy:1.0");

        assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
        registry.server.verify(1, getRequestedFor(urlPathEqualTo("/token"))
                .withQueryParam("service", equalTo("registry.example"))
                .withQueryParam("scope", equalTo("repository:team/legacy:pull"))
                .withQueryParam("account", absent())
                .withHeader("Authorization", absent()));
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0")).withHeader("Authorization", absent()));
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0"))
                .withHeader("Authorization", equalTo("Bearer anon-tkn-7f3a")));
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/blobs/" + config))
                .withHeader("Authorization", equalTo("Bearer anon-tkn-7f3a")));
    }

    @Test
    void acceptsAnAccessTokenFieldAndAsksForThePullScopeWhenTheChallengeNamesNone() throws Exception {
        registry.server.stubFor(get(urlPathEqualTo("/oauth2/token")).willReturn(aResponse().withStatus(200)
                .withBody("{\"access_token\":\"acc-9c1e\"}")));
        registry.server.stubFor(get(urlEqualTo("/v2/team/web/manifests/1.0")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://" + registry.host() + "/oauth2/token\",service=\"" + registry.host() + "\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/team/web/manifests/1.0")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer acc-9c1e"))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX)));

        assertThat(fetch(registry.host() + "/team/web:1.0").multiArch()).isTrue();
        registry.server.verify(getRequestedFor(urlPathEqualTo("/oauth2/token"))
                .withQueryParam("scope", equalTo("repository:team/web:pull")));
    }

    @Test
    void privateRegistryWithBasicAuthGetsThePullSecretCredentials() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(1)
                .withHeader("Authorization", equalTo(basic("deploy", "hunter2")))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX)));
        RegistryCredentials secret = RegistryCredentials.of(Map.of(registry.host(), new Credential("deploy", "hunter2")));

        assertThat(fetch(RegistryConfig.defaults(), registry.host() + "/corp/app:4.1", secret).multiArch()).isTrue();

        ImageLookupException anonymous = failure(RegistryConfig.defaults(), registry.host() + "/corp/app:4.1", RegistryCredentials.NONE);
        assertThat(anonymous.reason()).isEqualTo(FailureReason.UNAUTHORIZED);
        assertThat(anonymous.getMessage()).isEqualTo("unauthorized: registry asks for credentials and none were given");

        RegistryCredentials wrong = RegistryCredentials.of(Map.of(registry.host(), new Credential("deploy", "wrong")));
        assertThat(failure(RegistryConfig.defaults(), registry.host() + "/corp/app:4.1", wrong).reason())
                .isEqualTo(FailureReason.UNAUTHORIZED);
    }

    @Test
    void privateRegistryWithTokenAuthSendsThePullSecretToTheTokenService() throws Exception {
        registry.server.stubFor(get(urlPathEqualTo("/service/token")).atPriority(5).willReturn(aResponse().withStatus(401)));
        registry.server.stubFor(get(urlPathEqualTo("/service/token")).atPriority(1)
                .withHeader("Authorization", equalTo(basic("robot$ci", "tok-pw")))
                .willReturn(aResponse().withStatus(200).withBody("{\"token\":\"priv-tkn-1\",\"access_token\":\"priv-tkn-1\"}")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/worker/manifests/7")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://" + registry.host()
                        + "/service/token\",service=\"harbor-registry\",scope=\"repository:corp/worker:pull\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/worker/manifests/7")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer priv-tkn-1"))
                .willReturn(FakeRegistry.document("oci-index-amd64-attestation.json", OCI_INDEX)));
        RegistryCredentials secret = RegistryCredentials.of(Map.of(registry.host(), new Credential("robot$ci", "tok-pw")));

        assertThat(fetch(RegistryConfig.defaults(), registry.host() + "/corp/worker:7", secret).schedulableArchs())
                .containsExactly(Arch.AMD64);
        registry.server.verify(1, getRequestedFor(urlPathEqualTo("/service/token"))
                .withQueryParam("service", equalTo("harbor-registry"))
                .withQueryParam("scope", equalTo("repository:corp/worker:pull"))
                .withQueryParam("account", equalTo("robot$ci"))
                .withHeader("Authorization", equalTo(basic("robot$ci", "tok-pw"))));

        ImageLookupException anonymous = failure(RegistryConfig.defaults(), registry.host() + "/corp/worker:7", RegistryCredentials.NONE);
        assertThat(anonymous.getMessage()).isEqualTo("unauthorized: token service answered HTTP 401");
    }

    @Test
    void aRegistryThatDoesNotAnswerInTimeIsATimeout() {
        registry.server.stubFor(get(urlEqualTo("/v2/team/slow/manifests/1.0"))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX).withFixedDelay(1500)));
        RegistryConfig config = RegistryConfig.defaults().withTimeout(Duration.ofMillis(200));

        ImageLookupException e = failure(config, registry.host() + "/team/slow:1.0", RegistryCredentials.NONE);

        assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("timeout");
    }

    @Test
    void aRegistryNobodyListensForIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ImageLookupException e = failure(RegistryConfig.defaults(), "127.0.0.1:" + port + "/team/web:1.0", RegistryCredentials.NONE);

        assertThat(e.reason()).isEqualTo(FailureReason.UNREACHABLE);
    }

    @Test
    void mirrorsAreTriedBeforeTheRegistry() throws Exception {
        try (FakeRegistry mirror = new FakeRegistry()) {
            mirror.multiArch("team/web", "1.0");
            RegistryConfig config = RegistryConfig.defaults().withMirrors(Map.of(registry.host(), List.of(mirror.host())));

            ImagePlatforms p = fetch(config, registry.host() + "/team/web:1.0", RegistryCredentials.NONE);

            assertThat(p.multiArch()).isTrue();
            assertThat(p.reference()).isEqualTo(registry.host() + "/team/web:1.0");
            mirror.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/web/manifests/1.0")));
            assertThat(registry.server.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void theRegistryIsAskedWhenNoMirrorHasTheImage() throws Exception {
        try (FakeRegistry first = new FakeRegistry(); FakeRegistry second = new FakeRegistry()) {
            first.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));
            second.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).willReturn(aResponse().withStatus(503)));
            registry.amd64Only("team/legacy", "1.0");
            RegistryConfig config = RegistryConfig.defaults()
                    .withMirrors(Map.of(registry.host(), List.of(first.host(), "http://" + second.host())));

            ImagePlatforms p = fetch(config, registry.host() + "/team/legacy:1.0", RegistryCredentials.NONE);

            assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
            first.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0")));
            second.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0")));
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0")));
        }
    }

    @Test
    void credentialsAreNotSentWhereABlobRedirects() throws Exception {
        try (FakeRegistry storage = new FakeRegistry()) {
            String config = digestOf("config-amd64.json");
            storage.server.stubFor(get(urlPathEqualTo("/blobs/" + config)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/octet-stream").withBody(FakeRegistry.resource("config-amd64.json"))));
            registry.server.stubFor(get(urlEqualTo("/v2/corp/legacy/manifests/1.0")).atPriority(5).willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
            registry.server.stubFor(get(urlEqualTo("/v2/corp/legacy/manifests/1.0")).atPriority(1)
                    .withHeader("Authorization", equalTo(basic("deploy", "hunter2")))
                    .willReturn(FakeRegistry.document("docker-manifest-amd64.json", DOCKER_MANIFEST)));
            registry.server.stubFor(get(urlEqualTo("/v2/corp/legacy/blobs/" + config)).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", "http://" + storage.host() + "/blobs/" + config + "?X-Amz-Signature=abc123")));
            RegistryCredentials secret = RegistryCredentials.of(Map.of(registry.host(), new Credential("deploy", "hunter2")));

            ImagePlatforms p = fetch(RegistryConfig.defaults(), registry.host() + "/corp/legacy:1.0", secret);

            assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/corp/legacy/blobs/" + config))
                    .withHeader("Authorization", equalTo(basic("deploy", "hunter2"))));
            storage.server.verify(1, getRequestedFor(urlPathEqualTo("/blobs/" + config))
                    .withQueryParam("X-Amz-Signature", equalTo("abc123"))
                    .withHeader("Authorization", absent()));
        }
    }
}
