package io.archscaler.expander;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.archscaler.config.ExpanderConfig;
import io.archscaler.controlplane.CertificateAuthority;
import io.archscaler.controlplane.PemKeyPair;
import io.archscaler.expander.ExpanderClient.Answer;
import io.archscaler.expander.grpc.BestOptionsRequest;
import io.archscaler.expander.grpc.Option;
import io.archscaler.images.FakeRegistry;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.images.RegistryConfig;
import io.archscaler.images.RegistryCredentials;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The expander as Cluster Autoscaler calls it: a gRPC client over TLS (trusting the expander's CA,
 * as CA's {@code --grpc-expander-cert} does) sends BestOptions requests, some the exact bytes a Go
 * program made with k8s.io/api (src/test/go/ca-expander-request), against images on a loopback registry.
 */
class ExpanderServerTest {
    private static final String GOLDEN_HOST = "registry.golden";
    private final FakeRegistry registry = new FakeRegistry();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ArchscalerMetrics metrics = new ArchscalerMetrics(meters);
    private final ExpanderCalls calls = new ExpanderCalls();
    private Vertx vertx;
    private ExpanderClient client;
    private ImageResolver resolver;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        registry.multiArch("shop/web", "1.0");
        registry.amd64Only("shop/legacy", "1.0");
        registry.server.stubFor(get(urlPathMatching("/v2/shop/slow/manifests/.*"))
                .willReturn(aResponse().withStatus(404).withFixedDelay(4_000)));
        RegistryConfig registries = RegistryConfig.defaults();
        resolver = ImageResolver.create(registries, Clock.systemUTC(), ImageLookupObserver.NOOP);
        Map<String, NodeGroup> groups = new LinkedHashMap<>();
        for (Arch arch : Arch.values()) {
            String name = arch == Arch.ARM64 ? "arm-general" : "x86-general";
            groups.put(name, new NodeGroup(name, "eks", arch, 0, 10, 0, NodeGroup.defaultWeight(arch), null, 0.1,
                    NodeTemplate.forGroup(name, arch, null, Resources.parse("capacity", Map.of("cpu", "2", "memory", "8Gi",
                            "pods", "29")), Map.of("workload", "general"), List.of())));
        }
        BestOptionsService service = new BestOptionsService(new PodImageArchs(resolver, registries.onUnknown()),
                PullSecretResolver.NONE, groups, ExpanderConfig.DEFAULT_LOOKUP_TIMEOUT, metrics, calls);

        CertificateAuthority ca = CertificateAuthority.create("expander-test-ca");
        PemKeyPair serverCert = ca.issueServer("archscaler-expander", List.of("127.0.0.1", "localhost"));
        Path cert = Files.writeString(dir.resolve("tls.crt"), serverCert.certificatePem());
        Path key = Files.writeString(dir.resolve("tls.key"), serverCert.privateKeyPem());
        ExpanderServer server = new ExpanderServer(new ExpanderConfig(0, Optional.of(cert), Optional.of(key), false,
                ExpanderConfig.DEFAULT_LOOKUP_TIMEOUT), service);
        vertx = Vertx.vertx();
        vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        client = ExpanderClient.tls(vertx, server.actualPort(), ca.certificatePem());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        registry.close();
        metrics.close();
    }

    private Answer call(byte[] request) throws Exception {
        return client.call(request);
    }

    /**
     * A golden request with its image host, {@code registry.golden}, replaced in place by the loopback
     * registry's {@code 127.0.0.1:port}: both are 15 bytes, so every length prefix Go wrote stays right.
     */
    private byte[] golden(String name) throws Exception {
        String loopback = registry.host();
        assertThat(loopback).as("an ephemeral port has 5 digits").hasSize(GOLDEN_HOST.length());
        String bytes = new String(Files.readAllBytes(Path.of("test/resources/expander", name)), StandardCharsets.ISO_8859_1);
        return bytes.replace(GOLDEN_HOST, loopback).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ByteString pod(String name, String image) {
        return ExpanderClient.pod(name, image);
    }

    private static byte[] request(ByteString... pods) {
        return ExpanderClient.request(List.of("x86-general", "arm-general"), pods);
    }

    private double counter(String name, String tag, String value) {
        var c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void caRequestsAsGoWritesThemDropArm64ForTheAmd64OnlyImage() throws Exception {
        // the webhook has seen these images already (the two share one resolver and cache): what is tested here is
        // the decoding of CA's bytes, not whether a cold lookup beats lookupTimeout (aSlowRegistry... does that)
        for (String image : List.of("shop/web:1.0", "shop/legacy:1.0")) {
            resolver.lookup(registry.host() + "/" + image, RegistryCredentials.NONE).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        for (String file : List.of("ca-request-legacy.bin", "ca-request-bytes.bin")) {
            Answer a = call(golden(file));

            assertThat(a.status()).as(file).isEqualTo(GrpcStatus.OK);
            assertThat(a.ids()).as(file).containsExactly("x86-general");
            assertThat(a.response().getOptions(0).getNodeCount()).isEqualTo(2);
            assertThat(a.response().getOptions(0).getDebug()).isEqualTo("CA debug for x86-general");
        }
        assertThat(counter("archscaler_expander_dropped_options", "reason", "image_arch")).isEqualTo(2);
        assertThat(counter("archscaler_expander_calls", "outcome", "ranked")).isEqualTo(2);
        assertThat(calls.toJson().getJsonArray("lastCalls").getString(1)).startsWith("ranked: 2 options in, 1 out")
                .contains("arm-general (image_arch: pod shop/legacy-0");
    }

    @Test
    void podsInTheOlderFieldAreReadWhenField5HoldsSomethingElse() throws Exception {
        // some CA builds sent similar node group ids (strings) as Option field 5; the pods were in field 4
        ByteString legacy = pod("legacy-1", registry.host() + "/shop/legacy:1.0");
        BestOptionsRequest.Builder r = BestOptionsRequest.newBuilder();
        for (String id : List.of("x86-general", "arm-general")) {
            r.addOptions(Option.newBuilder().setNodeGroupId(id).setNodeCount(1).addPod(legacy)
                    .addPodBytes(ByteString.copyFromUtf8("similar-" + id)));
        }
        call(request(pod("web-1", registry.host() + "/shop/web:1.0"))); // the connection set up, the cache warm

        Answer a = call(r.build().toByteArray());

        assertThat(a.status()).isEqualTo(GrpcStatus.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> call(r.build().toByteArray()).ids().equals(List.of("x86-general")));
        assertThat(counter("archscaler_expander_calls", "outcome", "invalid")).isZero();
    }

    @Test
    void aMultiArchImageKeepsArm64First() throws Exception {
        Answer a = call(request(pod("web-1", registry.host() + "/shop/web:1.0")));

        assertThat(a.ids()).containsExactly("arm-general");
        assertThat(counter("archscaler_expander_dropped_options", "reason", "lower_rank")).isEqualTo(1);
    }

    @Test
    void anUnknownImageRanksOnThePodsConstraintsAlone() throws Exception {
        Answer a = call(request(pod("ghost-1", registry.host() + "/shop/ghost:9.9")));

        assertThat(a.status()).isEqualTo(GrpcStatus.OK);
        assertThat(a.ids()).containsExactly("arm-general");
    }

    @Test
    void aSlowRegistryIsAnsweredWithinOneSecond() throws Exception {
        call(request(pod("web-1", registry.host() + "/shop/web:1.0"))); // CA keeps one connection open: set it up first
        Answer a = call(request(pod("slow-1", registry.host() + "/shop/slow:1.0"),
                pod("legacy-1", registry.host() + "/shop/legacy:1.0")));

        assertThat(a.millis()).isLessThan(1_000);
        // the amd64-only image answered in time and drops arm64; the slow one is left to constraints
        assertThat(a.ids()).containsExactly("x86-general");
    }

    @Test
    void malformedPodBytesAnswerWithTheInputAndAreCounted() throws Exception {
        byte[] request = request(ByteString.copyFrom(new byte[]{0x0a, 0x7f, 0x01}));

        Answer a = call(request);

        assertThat(a.status()).isEqualTo(GrpcStatus.OK);
        assertThat(a.ids()).containsExactly("x86-general", "arm-general");
        assertThat(counter("archscaler_expander_calls", "outcome", "invalid")).isEqualTo(1);
        assertThat(call(request(pod("web-1", registry.host() + "/shop/web:1.0"))).ids()).as("still serving")
                .containsExactly("arm-general");
    }

    @Test
    void aLargeScaleUpIsRankedInOneCall() throws Exception {
        // CA puts every pod of every option in one message; 200 pods the size of real ones (managedFields, env,
        // volumes: here an unknown field of 1.5 KiB each) on two options make ~600 KiB, past gRPC's usual 256 KiB
        ByteString[] pods = new ByteString[200];
        for (int i = 0; i < pods.length; i++) {
            ByteString small = pod("legacy-" + i, registry.host() + "/shop/legacy:1.0");
            pods[i] = io.archscaler.expander.kube.Pod.parseFrom(small).toBuilder()
                    .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFrom(new byte[1536])).build()).build())
                    .build().toByteString();
        }
        byte[] request = request(pods);
        assertThat(request.length).isGreaterThan(512 * 1024);
        // the image is known already: this is about the message's size, not a cold lookup's time
        resolver.lookup(registry.host() + "/shop/legacy:1.0", RegistryCredentials.NONE).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        Answer a = call(request);

        assertThat(a.status()).isEqualTo(GrpcStatus.OK);
        assertThat(a.ids()).containsExactly("x86-general");
    }

    @Test
    void aRequestThatIsNotOneGetsInvalidArgument() throws Exception {
        Answer a = call(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff});

        assertThat(a.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(a.ids()).isEmpty();
        assertThat(counter("archscaler_expander_calls", "outcome", "invalid")).isEqualTo(1);
    }
}
