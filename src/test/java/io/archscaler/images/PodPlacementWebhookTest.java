package io.archscaler.images;

import io.archscaler.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.archscaler.images.FakeRegistry.OCI_INDEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.archscaler.images.RegistryCredentials.Credential;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class PodPlacementWebhookTest {
    private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";
    private static final String ARCH_EXPRESSION = "{\"key\":\"kubernetes.io/arch\",\"operator\":\"In\",\"values\":[\"amd64\"]}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeRegistry registry;
    private final RecordingObserver observer = new RecordingObserver();

    @BeforeEach
    void start() {
        registry = new FakeRegistry();
        registry.amd64Only("team/legacy", "1.0");
        registry.multiArch("team/web", "1.0");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private PodPlacementWebhook webhook(RegistryConfig config, PullSecretResolver secrets, Duration timeout) {
        ImageResolver resolver = ImageResolver.create(config, new MutableClock(), observer);
        return new PodPlacementWebhook(new PodImageArchs(resolver, config.onUnknown()), secrets, timeout, observer);
    }

    private PodPlacementWebhook webhook() {
        return webhook(RegistryConfig.defaults(), PullSecretResolver.NONE, PodPlacementWebhook.DEFAULT_TIMEOUT);
    }

    private JsonObject pod(String resource) {
        String text = new String(FakeRegistry.resource("admission/" + resource), StandardCharsets.UTF_8);
        return new JsonObject(text.replace("${REGISTRY}", registry.host()));
    }

    private static JsonObject review(JsonObject pod) {
        JsonObject review = new JsonObject(new String(FakeRegistry.resource("admission/review-create.json"), StandardCharsets.UTF_8));
        review.getJsonObject("request").put("object", pod);
        return review;
    }

    private static JsonObject answer(PodPlacementWebhook webhook, JsonObject review) throws Exception {
        return webhook.review(review).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonArray patchOf(JsonObject answer) {
        String patch = answer.getJsonObject("response").getString("patch");
        return new JsonArray(new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8));
    }

    private static JsonObject applied(JsonObject pod, JsonArray patch) {
        return new JsonObject(JsonPatch.apply(JSON.readTree(patch.encode()), JSON.readTree(pod.encode())).toString());
    }

    private JsonArray expectedPatch(String text) {
        return new JsonArray(text.replace("${REGISTRY}", registry.host()).replace("${EXPR}", ARCH_EXPRESSION));
    }

    private void assertPatched(String podResource, String expectedPatch) throws Exception {
        JsonObject pod = pod(podResource);

        JsonObject answer = answer(webhook(), review(pod));

        JsonObject response = answer.getJsonObject("response");
        assertThat(answer.getString("apiVersion")).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.getString("kind")).isEqualTo("AdmissionReview");
        assertThat(response.fieldNames()).containsExactlyInAnyOrder("uid", "allowed", "patchType", "patch");
        assertThat(response.getString("uid")).isEqualTo(UID);
        assertThat(response.getBoolean("allowed")).isTrue();
        assertThat(response.getString("patchType")).isEqualTo("JSONPatch");
        assertThat(patchOf(answer)).isEqualTo(expectedPatch(expectedPatch));
        JsonObject patched = applied(pod, patchOf(answer));
        assertThat(ArchPatch.constrainsArch(patched)).isTrue();
        assertThat(patched.getJsonObject("metadata").getJsonObject("annotations").getString("archscaler.io/arch-source"))
                .isEqualTo("images: " + registry.host() + "/team/legacy:1.0=[amd64]");
        assertThat(observer.reviews).containsExactly(ReviewOutcome.PATCHED);
    }

    private void assertUnchanged(JsonObject answer, ReviewOutcome outcome) {
        assertThat(answer).isEqualTo(new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
                .put("response", new JsonObject().put("uid", UID).put("allowed", true)));
        assertThat(observer.reviews).containsExactly(outcome);
    }

    @Test
    void pinsAPodWithoutAffinityToTheArchsOfItsImages() throws Exception {
        assertPatched("pod-no-affinity.json", """
                [{"op":"add","path":"/spec/affinity","value":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
                   {"nodeSelectorTerms":[{"matchExpressions":[${EXPR}]}]}}}},
                 {"op":"add","path":"/metadata/annotations","value":{"archscaler.io/arch-source":"images: ${REGISTRY}/team/legacy:1.0=[amd64]"}}]
                """);
    }

    @Test
    void addsNodeAffinityBesideAnExistingPodAntiAffinity() throws Exception {
        assertPatched("pod-affinity-without-node-affinity.json", """
                [{"op":"add","path":"/spec/affinity/nodeAffinity","value":{"requiredDuringSchedulingIgnoredDuringExecution":
                   {"nodeSelectorTerms":[{"matchExpressions":[${EXPR}]}]}}},
                 {"op":"add","path":"/metadata/annotations/archscaler.io~1arch-source","value":"images: ${REGISTRY}/team/legacy:1.0=[amd64]"}]
                """);
    }

    @Test
    void addsRequiredTermsBesidePreferredOnes() throws Exception {
        assertPatched("pod-node-affinity-preferred-only.json", """
                [{"op":"add","path":"/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution",
                  "value":{"nodeSelectorTerms":[{"matchExpressions":[${EXPR}]}]}},
                 {"op":"add","path":"/metadata/annotations/archscaler.io~1arch-source","value":"images: ${REGISTRY}/team/legacy:1.0=[amd64]"}]
                """);
    }

    @Test
    void addsTheExpressionToEveryExistingRequiredTermSinceTermsAreOred() throws Exception {
        assertPatched("pod-required-terms.json", """
                [{"op":"add","path":"/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/-",
                  "value":${EXPR}},
                 {"op":"add","path":"/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/1/matchExpressions",
                  "value":[${EXPR}]},
                 {"op":"add","path":"/metadata/annotations","value":{"archscaler.io/arch-source":"images: ${REGISTRY}/team/legacy:1.0=[amd64]"}}]
                """);
        JsonObject pod = pod("pod-required-terms.json");
        JsonObject patched = applied(pod, patchOf(answer(webhook(), review(pod))));
        JsonArray terms = patched.getJsonObject("spec").getJsonObject("affinity").getJsonObject("nodeAffinity")
                .getJsonObject("requiredDuringSchedulingIgnoredDuringExecution").getJsonArray("nodeSelectorTerms");
        assertThat(terms.getJsonObject(0).getJsonArray("matchExpressions")).hasSize(2);
        assertThat(terms.getJsonObject(1).getJsonArray("matchFields")).hasSize(1);
        assertThat(terms.getJsonObject(2)).isEqualTo(new JsonObject());
    }

    @Test
    void leavesAPodWhoseImagesAreAllMultiArchUnchanged() throws Exception {
        assertUnchanged(answer(webhook(), review(pod("pod-multiarch.json"))), ReviewOutcome.UNCHANGED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nodeSelector", "betaNodeSelector", "requiredAffinity", "betaRequiredAffinity"})
    void leavesAPodThatConstrainsItsArchAloneWithoutAskingTheRegistry(String how) throws Exception {
        JsonObject pod = pod("pod-no-affinity.json");
        JsonObject spec = pod.getJsonObject("spec");
        Consumer<String> selector = key -> spec.put("nodeSelector", new JsonObject().put(key, "arm64"));
        Consumer<String> affinity = key -> spec.put("affinity", new JsonObject().put("nodeAffinity", new JsonObject()
                .put("requiredDuringSchedulingIgnoredDuringExecution", new JsonObject().put("nodeSelectorTerms", new JsonArray()
                        .add(new JsonObject().put("matchExpressions", new JsonArray().add(new JsonObject()
                                .put("key", key).put("operator", "NotIn").put("values", new JsonArray().add("arm64")))))))));
        switch (how) {
            case "nodeSelector" -> selector.accept("kubernetes.io/arch");
            case "betaNodeSelector" -> selector.accept("beta.kubernetes.io/arch");
            case "requiredAffinity" -> affinity.accept("kubernetes.io/arch");
            default -> affinity.accept("beta.kubernetes.io/arch");
        }

        assertUnchanged(answer(webhook(), review(pod)), ReviewOutcome.SKIPPED);
        assertThat(registry.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void leavesDaemonSetPodsAlone() throws Exception {
        assertUnchanged(answer(webhook(), review(pod("pod-daemonset.json"))), ReviewOutcome.SKIPPED);
        assertThat(registry.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void letsThePodThroughUnchangedWhenTheRegistryDoesNotAnswerInTime() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0"))
                .willReturn(FakeRegistry.document("docker-manifest-amd64.json", FakeRegistry.DOCKER_MANIFEST).withFixedDelay(1500)));
        PodPlacementWebhook webhook = webhook(RegistryConfig.defaults(), PullSecretResolver.NONE, Duration.ofMillis(200));

        assertUnchanged(answer(webhook, review(pod("pod-no-affinity.json"))), ReviewOutcome.TIMEOUT);
    }

    @Test
    void looksPrivateImagesUpWithThePodsPullSecrets() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("deploy:hunter2".getBytes(StandardCharsets.UTF_8));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/worker/manifests/7")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/worker/manifests/7")).atPriority(1)
                .withHeader("Authorization", equalTo(basic))
                .willReturn(FakeRegistry.document("oci-index-amd64-attestation.json", OCI_INDEX)));
        List<String> asked = new CopyOnWriteArrayList<>();
        PullSecretResolver secrets = (namespace, names) -> {
            asked.add(namespace + "/" + names);
            return CompletableFuture.completedFuture(
                    RegistryCredentials.of(Map.of(registry.host(), new Credential("deploy", "hunter2"))));
        };

        JsonObject answer = answer(webhook(RegistryConfig.defaults(), secrets, PodPlacementWebhook.DEFAULT_TIMEOUT),
                review(pod("pod-private.json")));

        assertThat(asked).containsExactly("shop/[regcred]");
        assertThat(patchOf(answer)).isEqualTo(expectedPatch("""
                [{"op":"add","path":"/spec/affinity","value":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
                   {"nodeSelectorTerms":[{"matchExpressions":[${EXPR}]}]}}}},
                 {"op":"add","path":"/metadata/annotations","value":{"archscaler.io/arch-source":"images: ${REGISTRY}/corp/worker:7=[amd64]"}}]
                """));
    }

    @Test
    void assumesAmd64ForAnImageThatCannotBeLookedUpWhenSoConfigured() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));
        RegistryConfig config = RegistryConfig.defaults().withOnUnknown(RegistryConfig.OnUnknown.ASSUME_AMD64);
        JsonObject pod = pod("pod-no-affinity.json");

        JsonObject answer = answer(webhook(config, PullSecretResolver.NONE, PodPlacementWebhook.DEFAULT_TIMEOUT), review(pod));

        JsonObject patched = applied(pod, patchOf(answer));
        assertThat(patched.getJsonObject("metadata").getJsonObject("annotations").getString("archscaler.io/arch-source"))
                .isEqualTo("images: " + registry.host() + "/team/legacy:1.0=unknown (not found), assumed [amd64]");
        assertThat(ArchPatch.constrainsArch(patched)).isTrue();
    }

    @Test
    void leavesAPodUnchangedWhenAnImageCannotBeLookedUpAndMultiArchIsAssumed() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/legacy/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));

        assertUnchanged(answer(webhook(), review(pod("pod-no-affinity.json"))), ReviewOutcome.UNCHANGED);
    }

    @Test
    void leavesUpdatesAndOtherKindsAlone() throws Exception {
        JsonObject update = review(pod("pod-no-affinity.json"));
        update.getJsonObject("request").put("operation", "UPDATE");
        assertUnchanged(answer(webhook(), update), ReviewOutcome.SKIPPED);
        assertThat(registry.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesABodyThatIsNotAnAdmissionReview() {
        Throwable thrown = catchThrowable(() -> webhook().review(new JsonObject().put("kind", "AdmissionReview"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertThat(thrown).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidAdmissionReviewException.class).hasMessage("AdmissionReview has no request.uid");
    }

    @Test
    void answersWithAnErrorCountedWhenTheRequestHasNoPod() throws Exception {
        JsonObject review = review(null);

        assertUnchanged(answer(webhook(), review), ReviewOutcome.ERROR);
    }
}
