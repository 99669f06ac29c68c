package io.archscaler.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PodPlacementWebhook;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.images.RegistryConfig;
import io.archscaler.testing.MutableClock;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The max-spot-ratio annotation through the placement webhook, against the CRUD mock API server. */
class SpotRatioWebhookTest {
    private static final String NS = "shop";
    private static final JsonArray EXCLUDE_SPOT = new JsonArray(
            "[{\"key\":\"karpenter.sh/capacity-type\",\"operator\":\"NotIn\",\"values\":[\"spot\"]},"
                    + "{\"key\":\"eks.amazonaws.com/capacityType\",\"operator\":\"NotIn\",\"values\":[\"SPOT\"]}]");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ExecutorService blocking;
    private final MutableClock clock = new MutableClock();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private PodPlacementWebhook webhook;
    private int podCount;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        client = server.createClient();
        blocking = Executors.newFixedThreadPool(2);
        ImageResolver resolver = ImageResolver.create(RegistryConfig.defaults(), clock, ImageLookupObserver.NOOP);
        webhook = new PodPlacementWebhook(new PodImageArchs(resolver, RegistryConfig.defaults().onUnknown()),
                PullSecretResolver.NONE, Duration.ofSeconds(5), ImageLookupObserver.NOOP,
                new KubeSpotRatio(client, blocking, clock, Duration.ofSeconds(10), counted::add));
        node("spot-1", Map.of("karpenter.sh/capacity-type", "spot"));
        node("spot-2", Map.of("karpenter.sh/capacity-type", "spot"));
        node("eks-spot-1", Map.of("eks.amazonaws.com/capacityType", "SPOT"));
        node("od-1", Map.of("karpenter.sh/capacity-type", "on-demand"));
        node("od-2", Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND"));
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void keepsTheNextPodOffSpotWhenHalfOfFourReplicasAlreadyRunThere() throws Exception {
        deployment("web", 4, "0.5");
        runningPod("web", "spot-1");
        runningPod("web", "spot-2");
        runningPod("web", "od-1");

        JsonObject answer = review(newPod("web"));

        JsonArray patch = patchOf(answer);
        JsonObject affinity = patch.getJsonObject(0);
        assertThat(affinity.getString("path")).isEqualTo("/spec/affinity");
        JsonArray terms = affinity.getJsonObject("value").getJsonObject("nodeAffinity")
                .getJsonObject("requiredDuringSchedulingIgnoredDuringExecution").getJsonArray("nodeSelectorTerms");
        assertThat(terms).hasSize(1);
        assertThat(terms.getJsonObject(0).getJsonArray("matchExpressions")).isEqualTo(EXCLUDE_SPOT);
        assertThat(patch.getJsonObject(1).getString("path")).isEqualTo("/metadata/annotations");
        assertThat(reasonOf(answer))
                .isEqualTo("Deployment web allows 2 of 4 replicas on spot (0.5); 2 on spot, 0 in flight");
        assertThat(counted).containsExactly("kept_off");
    }

    @Test
    void letsThePodGoAnywhereWhileOneOfFourRunsOnSpot() throws Exception {
        deployment("web", 4, "0.5");
        runningPod("web", "spot-1");
        runningPod("web", "od-1");
        runningPod("web", "od-2");

        assertThat(review(newPod("web")).getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(counted).containsExactly("allowed");
    }

    @Test
    void keepsEveryPodOffSpotWithRatioZero() throws Exception {
        deployment("web", 4, "0");

        assertThat(expressionsOf(review(newPod("web")))).isEqualTo(EXCLUDE_SPOT);
        assertThat(counted).containsExactly("kept_off");
    }

    @Test
    void neverTouchesAWorkloadWithoutTheAnnotation() throws Exception {
        deployment("web", 4, null);
        runningPod("web", "spot-1");
        runningPod("web", "spot-2");
        runningPod("web", "eks-spot-1");

        assertThat(review(newPod("web")).getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(counted).isEmpty();
    }

    @Test
    void countsAStatefulSetsPodsOnEksSpotNodes() throws Exception {
        client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
                .withNewMetadata().withName("db").withNamespace(NS).withUid("uid-db")
                .withAnnotations(Map.of("archscaler.io/max-spot-ratio", "0.5")).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(Map.of("app", "db")).endSelector()
                .endSpec().build()).create();
        Pod onSpot = pod("db", "db-0", owner("StatefulSet", "db"), "eks-spot-1");
        client.pods().inNamespace(NS).resource(onSpot).create();

        JsonObject answer = review(pod("db", "db-1", owner("StatefulSet", "db"), null));

        assertThat(expressionsOf(answer)).isEqualTo(EXCLUDE_SPOT);
        assertThat(reasonOf(answer)).startsWith("StatefulSet db allows 1 of 2");
    }

    @Test
    void ignoresABadValueWithAWarningEventAndCountsIt() throws Exception {
        deployment("web", 4, "seventy percent");

        JsonObject answer = review(newPod("web"));
        review(newPod("web"));

        assertThat(answer.getJsonObject("response").getBoolean("allowed")).isTrue();
        assertThat(answer.getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(counted).containsExactly("invalid", "invalid");
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidMaxSpotRatio");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getMessage()).contains("\"seventy percent\" is not a number between 0 and 1");
        });
    }

    @Test
    void countsPodsAdmittedButNotYetStoredAsInFlightUntilTheWindowEnds() throws Exception {
        deployment("web", 4, "0.5");

        // the API server stores none of them: each was admitted before the next arrived
        assertThat(review(newPod("web")).getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(review(newPod("web")).getJsonObject("response").containsKey("patch")).isFalse();
        JsonObject third = review(newPod("web"));
        assertThat(expressionsOf(third)).isEqualTo(EXCLUDE_SPOT);
        assertThat(reasonOf(third)).endsWith("0 on spot, 2 in flight");

        clock.advance(Duration.ofSeconds(11));
        assertThat(review(newPod("web")).getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(counted).containsExactly("allowed", "allowed", "kept_off", "allowed");
    }

    @Test
    void countsStoredUnboundPodsThatMayStillLandOnSpotAsInFlight() throws Exception {
        deployment("web", 4, "0.5");
        runningPod("web", "spot-1");
        client.pods().inNamespace(NS).resource(pod("web", "web-pending", owner("ReplicaSet", "web-rs"), null)).create();
        Pod keptOff = pod("web", "web-kept-off", owner("ReplicaSet", "web-rs"), null);
        keptOff.getSpec().setNodeSelector(Map.of("karpenter.sh/capacity-type", "on-demand"));
        client.pods().inNamespace(NS).resource(keptOff).create();

        JsonObject answer = review(newPod("web"));

        assertThat(reasonOf(answer)).endsWith("1 on spot, 1 in flight");
    }

    @Test
    void mergesTheExclusionIntoEveryRequiredTermBesideTheArchPin() throws Exception {
        deployment("web", 4, "0");
        Pod pod = newPod("web");
        pod.getSpec().setNodeSelector(null);
        pod.getSpec().setAffinity(new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(archTerm("arm64"), archTerm("amd64"))
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());

        JsonArray patch = patchOf(review(pod));

        String terms = "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/";
        assertThat(patch.stream().map(o -> ((JsonObject) o).getString("path")).toList()).containsExactly(
                terms + "0/matchExpressions/-", terms + "0/matchExpressions/-",
                terms + "1/matchExpressions/-", terms + "1/matchExpressions/-",
                "/metadata/annotations");
        assertThat(new JsonArray(List.of(patch.getJsonObject(0).getJsonObject("value"), patch.getJsonObject(1).getJsonObject("value"))))
                .isEqualTo(EXCLUDE_SPOT);
    }

    @Test
    void leavesAPodThatAlreadyStaysOffSpotAlone() throws Exception {
        deployment("web", 4, "0");
        Pod pod = newPod("web");
        pod.getSpec().setNodeSelector(Map.of("kubernetes.io/arch", "arm64", "eks.amazonaws.com/capacityType", "ON_DEMAND"));

        assertThat(review(pod).getJsonObject("response").containsKey("patch")).isFalse();
        assertThat(counted).isEmpty();
    }

    private static NodeSelectorTerm archTerm(String arch) {
        return new NodeSelectorTermBuilder().withMatchExpressions(new NodeSelectorRequirementBuilder()
                .withKey("kubernetes.io/arch").withOperator("In").withValues(arch).build()).build();
    }

    private void node(String name, Map<String, String> labels) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .create();
    }

    /** A Deployment whose pods come from ReplicaSet {@code <name>-rs}, as the deployment controller makes them. */
    private void deployment(String name, int replicas, String ratio) {
        Map<String, String> annotations = ratio == null ? Map.of() : Map.of("archscaler.io/max-spot-ratio", ratio);
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withUid("uid-" + name).withAnnotations(annotations)
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .endSpec().build()).create();
        client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(name + "-rs").withNamespace(NS).withOwnerReferences(owner("Deployment", name))
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .endSpec().build()).create();
    }

    private void runningPod(String app, String node) {
        client.pods().inNamespace(NS).resource(pod(app, app + "-" + podCount++, owner("ReplicaSet", app + "-rs"), node))
                .create();
    }

    private Pod newPod(String app) {
        Pod pod = pod(app, null, owner("ReplicaSet", app + "-rs"), null);
        pod.getMetadata().setGenerateName(app + "-rs-");
        return pod;
    }

    /** Constrains its own arch, so the webhook asks no registry and only the spot ratio can patch it. */
    private static Pod pod(String app, String name, OwnerReference owner, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("app", app))
                .withOwnerReferences(owner).endMetadata()
                .withNewSpec().withNodeName(node).withNodeSelector(Map.of("kubernetes.io/arch", "arm64"))
                .addNewContainer().withName("app").withImage("registry.example/" + app + ":1").endContainer().endSpec()
                .withNewStatus().withPhase(node == null ? "Pending" : "Running").endStatus()
                .build();
    }

    private static OwnerReference owner(String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name)
                .withUid("uid-" + name).withController(true).withBlockOwnerDeletion(true).build();
    }

    private JsonObject review(HasMetadata pod) throws Exception {
        JsonObject object = new JsonObject(SERIALIZATION.asJson(pod));
        JsonObject review = new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
                .put("request", new JsonObject().put("uid", "uid-" + podCount++).put("namespace", NS)
                        .put("operation", "CREATE").put("kind", new JsonObject().put("group", "").put("version", "v1")
                                .put("kind", "Pod")).put("object", object));
        return webhook.review(review).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonArray patchOf(JsonObject answer) {
        String patch = answer.getJsonObject("response").getString("patch");
        assertThat(patch).as("patch in %s", answer).isNotNull();
        return new JsonArray(new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8));
    }

    /** What the patch says in the pod's {@code archscaler.io/spot-ratio} annotation (the test pods have no annotations yet). */
    private static String reasonOf(JsonObject answer) {
        JsonArray patch = patchOf(answer);
        JsonObject annotations = patch.getJsonObject(patch.size() - 1);
        assertThat(annotations.getString("path")).isEqualTo("/metadata/annotations");
        return annotations.getJsonObject("value").getString("archscaler.io/spot-ratio");
    }

    private static JsonArray expressionsOf(JsonObject answer) {
        return patchOf(answer).getJsonObject(0).getJsonObject("value").getJsonObject("nodeAffinity")
                .getJsonObject("requiredDuringSchedulingIgnoredDuringExecution").getJsonArray("nodeSelectorTerms")
                .getJsonObject(0).getJsonArray("matchExpressions");
    }
}
