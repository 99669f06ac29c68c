package io.archscaler.images;

import io.archscaler.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.archscaler.images.FakeRegistry.OCI_INDEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archscaler.images.RegistryCredentials.Credential;
import io.archscaler.scaler.model.Arch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageResolverTest {
    private FakeRegistry registry;
    private final MutableClock clock = new MutableClock();
    private final RecordingObserver observer = new RecordingObserver();

    @BeforeEach
    void start() {
        registry = new FakeRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private ImageResolver resolver(RegistryConfig config) {
        return ImageResolver.create(config, clock, observer);
    }

    private static ImageLookup lookup(ImageResolver resolver, String image) throws Exception {
        return lookup(resolver, image, RegistryCredentials.NONE);
    }

    private static ImageLookup lookup(ImageResolver resolver, String image, RegistryCredentials credentials) throws Exception {
        return resolver.lookup(image, credentials).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int manifestRequests(String repository) {
        return registry.server.findAll(getRequestedFor(urlMatching("/v2/" + repository + "/manifests/.*"))).size();
    }

    @Test
    void aSecondLookupIsServedFromTheCacheWithoutARequest() throws Exception {
        registry.amd64Only("team/legacy", "1.0");
        ImageResolver resolver = resolver(RegistryConfig.defaults());

        ImageLookup first = lookup(resolver, registry.host() + "/team/legacy:1.0");
        ImageLookup second = lookup(resolver, registry.host() + "/team/legacy:1.0");

        assertThat(second).isEqualTo(first).isInstanceOf(ImagePlatforms.class);
        assertThat(manifestRequests("team/legacy")).isEqualTo(1);
        assertThat(registry.server.getAllServeEvents()).hasSize(2);
        assertThat(observer.lookups).containsExactly("resolved", "hit");
    }

    @Test
    void aDigestLearntThroughATagIsServedFromTheCache() throws Exception {
        String digest = registry.multiArch("team/web", "1.0");
        ImageResolver resolver = resolver(RegistryConfig.defaults());
        lookup(resolver, registry.host() + "/team/web:1.0");

        ImageLookup byDigest = lookup(resolver, registry.host() + "/team/web@" + digest);

        assertThat(byDigest).isInstanceOf(ImagePlatforms.class);
        assertThat(byDigest.reference()).isEqualTo(registry.host() + "/team/web@" + digest);
        assertThat(((ImagePlatforms) byDigest).schedulableArchs()).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
        assertThat(manifestRequests("team/web")).isEqualTo(1);
    }

    @Test
    void anAnswerIsAskedForAgainOnceItsTtlHasPassed() throws Exception {
        registry.multiArch("team/web", "1.0");
        ImageResolver resolver = resolver(RegistryConfig.defaults().withTtls(Duration.ofMinutes(30), Duration.ofMinutes(1)));
        lookup(resolver, registry.host() + "/team/web:1.0");

        clock.advance(Duration.ofMinutes(29));
        lookup(resolver, registry.host() + "/team/web:1.0");
        assertThat(manifestRequests("team/web")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        lookup(resolver, registry.host() + "/team/web:1.0");
        assertThat(manifestRequests("team/web")).isEqualTo(2);
        assertThat(observer.lookups).containsExactly("resolved", "hit", "resolved");
    }

    @Test
    void aTimeoutIsReportedAndKeptInTheNegativeCache() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/slow/manifests/1.0"))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX).withFixedDelay(1500)));
        ImageResolver resolver = resolver(RegistryConfig.defaults().withTimeout(Duration.ofMillis(200)));
        String image = registry.host() + "/team/slow:1.0";

        ImageLookup first = lookup(resolver, image);
        ImageLookup second = lookup(resolver, image);

        assertThat(first).isEqualTo(new ImageLookupFailure(image, FailureReason.TIMEOUT, null));
        assertThat(((ImageLookupFailure) first).message()).isEqualTo("timeout");
        assertThat(second).isEqualTo(first);
        assertThat(observer.lookups).containsExactly("timeout", "hit");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(manifestRequests("team/slow")).isEqualTo(1));

        registry.multiArch("team/slow", "1.0");
        clock.advance(RegistryConfig.DEFAULT_NEGATIVE_TTL);
        ImageLookup third = lookup(resolver, image);

        assertThat(third).isInstanceOf(ImagePlatforms.class);
        assertThat(manifestRequests("team/slow")).isEqualTo(2);
    }

    @Test
    void concurrentLookupsOfOneReferenceShareOneRequest() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/web/manifests/1.0"))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX).withFixedDelay(300)));
        ImageResolver resolver = resolver(RegistryConfig.defaults());

        List<CompletableFuture<ImageLookup>> lookups = IntStream.range(0, 6)
                .mapToObj(i -> resolver.lookup(registry.host() + "/team/web:1.0", RegistryCredentials.NONE).toCompletableFuture())
                .toList();
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(lookups).allSatisfy(l -> assertThat(l.join()).isEqualTo(lookups.get(0).join()).isInstanceOf(ImagePlatforms.class));
        assertThat(manifestRequests("team/web")).isEqualTo(1);
        assertThat(observer.lookups).containsExactlyInAnyOrder("resolved", "hit", "hit", "hit", "hit", "hit");
    }

    @Test
    void aDigestMarkedNotArm64IsAmd64OnlyForTheCacheLifetime() throws Exception {
        String digest = registry.multiArch("team/web", "1.0");
        ImageResolver resolver = resolver(RegistryConfig.defaults());
        lookup(resolver, registry.host() + "/team/web:1.0");

        resolver.markNotArm64(digest);
        ImagePlatforms marked = (ImagePlatforms) lookup(resolver, registry.host() + "/team/web:1.0");

        assertThat(marked.schedulableArchs()).containsExactly(Arch.AMD64);
        assertThat(marked.platforms()).extracting(Platform::toString).containsExactly("linux/amd64", "linux/arm64/v8");

        clock.advance(RegistryConfig.DEFAULT_TTL);
        ImagePlatforms later = (ImagePlatforms) lookup(resolver, registry.host() + "/team/web:1.0");
        assertThat(later.schedulableArchs()).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
        assertThat(manifestRequests("team/web")).isEqualTo(2);
    }

    @Test
    void aDigestMarkedBeforeItsFirstLookupIsAmd64Only() throws Exception {
        String digest = registry.multiArch("team/web", "1.0");
        ImageResolver resolver = resolver(RegistryConfig.defaults());
        resolver.markNotArm64(digest);

        ImagePlatforms p = (ImagePlatforms) lookup(resolver, registry.host() + "/team/web:1.0");

        assertThat(p.schedulableArchs()).containsExactly(Arch.AMD64);
    }

    @Test
    void anInvalidReferenceFailsWithoutARequest() throws Exception {
        ImageResolver resolver = resolver(RegistryConfig.defaults());

        ImageLookup result = lookup(resolver, registry.host() + "/Team/App:1.0");

        assertThat(result).isEqualTo(new ImageLookupFailure(registry.host() + "/Team/App:1.0",
                FailureReason.INVALID_REFERENCE, "repository name must be lowercase"));
        assertThat(((ImageLookupFailure) result).message()).isEqualTo("invalid reference: repository name must be lowercase");
        assertThat(registry.server.getAllServeEvents()).isEmpty();
        assertThat(observer.lookups).containsExactly("error");
    }

    @Test
    void aFailureWithoutCredentialsIsNotServedToALookupWithCredentials() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("deploy:hunter2".getBytes(StandardCharsets.UTF_8));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(1)
                .withHeader("Authorization", equalTo(basic))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", OCI_INDEX)));
        ImageResolver resolver = resolver(RegistryConfig.defaults());
        String image = registry.host() + "/corp/app:4.1";

        ImageLookup anonymous = lookup(resolver, image);
        ImageLookup withSecret = lookup(resolver, image,
                RegistryCredentials.of(Map.of(registry.host(), new Credential("deploy", "hunter2"))));

        assertThat(anonymous).isInstanceOf(ImageLookupFailure.class);
        assertThat(((ImageLookupFailure) anonymous).reason()).isEqualTo(FailureReason.UNAUTHORIZED);
        assertThat(withSecret).isInstanceOf(ImagePlatforms.class);
        assertThat(observer.lookups).containsExactly("unauthorized", "resolved");
    }

    @Test
    void aMissingImageIsReportedAsNotFound() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/gone/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));

        ImageLookup result = lookup(resolver(RegistryConfig.defaults()), registry.host() + "/team/gone:1.0");

        assertThat(result).isEqualTo(new ImageLookupFailure(registry.host() + "/team/gone:1.0", FailureReason.NOT_FOUND, null));
        assertThat(observer.lookups).containsExactly("not_found");
    }
}
