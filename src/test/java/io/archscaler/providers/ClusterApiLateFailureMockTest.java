package io.archscaler.providers;

import io.archscaler.cloud.clusterapi.ScaleSubresourceDispatcher;
import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller against Cluster API on the CRUD mock API server, the test playing the
 * MachineSet controller and the infrastructure provider: the arm64 MachineDeployment is scaled up,
 * its Machines are created, and 2 s later they fail ({@code status.failureReason}) or never get a
 * provider ID within the group's {@code provisionTimeout}. The flexible pods go to the amd64
 * MachineDeployment within seconds, and the arm64 one is scaled back down with its failed
 * Machines marked for deletion.
 */
class ClusterApiLateFailureMockTest {
    private static final String NS = "metal";
    private static final String CAPACITY = "capacity.cluster-autoscaler.kubernetes.io/";
    private static final String API = "/apis/cluster.x-k8s.io/v1beta1/namespaces/metal/";
    private static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = context("MachineDeployment");
    private static final ResourceDefinitionContext MACHINES = context("Machine");
    private static final String CONFIG = """
            cluster: metal
            nodeGroups:
              - {name: arm, provider: clusterapi, arch: arm64, maxSize: 5, capacity: {cpu: "2", memory: 8Gi},
                 clusterapi: {namespace: metal, name: arm%s}}
              - {name: x86, provider: clusterapi, arch: amd64, maxSize: 5, capacity: {cpu: "2", memory: 8Gi},
                 clusterapi: {namespace: metal, name: x86}}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 15m, backoffInitial: 5m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """;

    private final KubernetesSerialization json = new KubernetesSerialization();
    private final List<RecordedRequest> writes = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ScaleSubresourceDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        machineDeployment("arm", "arm64");
        machineDeployment("x86", "amd64");
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void machinesThatFailTwoSecondsAfterTheScaleUpSendThePodsToAmd64AndAreScaledAway() throws Exception {
        try (LateFailureHarness harness = new LateFailureHarness(client)) {
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted(""), null, server.createClient());
            harness.closeBatch();
            List<String> machines = playMachineSetController();

            // two seconds of provisioning on the controller's clock: its instance checks find them on their way
            harness.time.advance(Duration.ofSeconds(2));
            for (String m : machines) {
                GenericKubernetesResource machine = client.genericKubernetesResources(MACHINES).inNamespace(NS)
                        .withName(m).get();
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("phase", "Failed");
                status.put("failureReason", "CreateError");
                status.put("failureMessage", "Failure detected from referenced resource"
                        + " infrastructure.cluster.x-k8s.io/v1beta1, Kind=Metal3Machine with name \"" + m
                        + "\": no BareMetalHost matches the host selector arch=arm64");
                machine.setAdditionalProperty("status", status);
                client.genericKubernetesResources(MACHINES).inNamespace(NS).resource(machine).update();
            }
            drain();
            writes.removeIf(r -> r.getMethod().equals("PUT") && r.getPath().startsWith(API + "machines/"));
            Instant visible = harness.time.clock().instant();
            harness.time.advance(LateFailureHarness.FAILURE_CHECK);

            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            // the next instance check saw them
            assertThat(harness.fallbackDelay("clusterapi", visible, amd64))
                    .isLessThanOrEqualTo(LateFailureHarness.FAILURE_CHECK);
            assertThat(replicas("x86")).isEqualTo(LateFailureHarness.PODS);
            assertScaledBackWithMachinesMarked(harness, machines);
            assertThat(harness.decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("CreateError", "no BareMetalHost");
            });
        }
    }

    @Test
    void machinesWithoutProviderIdPastTheProvisionTimeoutHoldNoRoomAndAreScaledAway() throws Exception {
        try (LateFailureHarness harness = new LateFailureHarness(client)) {
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted(", provisionTimeout: 3s"), null, server.createClient());
            harness.closeBatch();
            List<String> machines = playMachineSetController();
            // the API server stamps creationTimestamp (to the second): the provider's timeout counts from it
            // in real time; the controller asks every failureCheckInterval of its clock, moved here
            Instant created = Instant.parse(client.genericKubernetesResources(MACHINES).inNamespace(NS)
                    .withName(machines.get(0)).get().getMetadata().getCreationTimestamp());
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
                harness.time.advance(LateFailureHarness.FAILURE_CHECK);
                return harness.decisions.stream().anyMatch(d -> d.outcome() == Decision.FAILED);
            });

            Decision timedOut = harness.awaitDecision("arm", Decision.FAILED, Duration.ofSeconds(1));
            assertThat(timedOut.error()).startsWith("NodeProvisionTimeout").contains("has no spec.providerID");
            assertThat(Duration.between(created, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertScaledBackWithMachinesMarked(harness, machines);
            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            assertThat(amd64.to() - amd64.from()).isEqualTo(LateFailureHarness.PODS);
        }
    }

    /** Waits for the arm64 scale-up and creates its Machines, provisioning and without a provider ID. */
    private List<String> playMachineSetController() throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> replicas("arm") == LateFailureHarness.PODS);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < LateFailureHarness.PODS; i++) {
            String name = "arm-7d9f8-" + i;
            names.add(name);
            client.genericKubernetesResources(MACHINES).inNamespace(NS).resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("Machine")
                    .withNewMetadata().withNamespace(NS).withName(name)
                    .withLabels(Map.of("cluster.x-k8s.io/cluster-name", "metal",
                            "cluster.x-k8s.io/deployment-name", "arm", "cluster.x-k8s.io/set-name", "arm-7d9f8"))
                    .endMetadata()
                    .addToAdditionalProperties("spec", Map.of("clusterName", "metal", "bootstrap",
                            Map.of("dataSecretName", name)))
                    .addToAdditionalProperties("status", Map.of("phase", "Provisioning"))
                    .build()).create();
        }
        // from here on, only the controller's writes are kept
        drain();
        writes.clear();
        return names;
    }

    private void assertScaledBackWithMachinesMarked(LateFailureHarness harness, List<String> machines)
            throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("arm") == 0);
        drain();
        List<RecordedRequest> armWrites = writes.stream()
                .filter(r -> r.getPath().startsWith(API + "machines/") || r.getPath().equals(API
                        + "machinedeployments/arm/scale"))
                .toList();
        // the failed Machines marked for deletion and the replicas lowered (in one go, or as failures came
        // in); the replicas are never written before the Machines they drop are marked
        assertThat(armWrites).extracting(r -> r.getMethod() + " " + r.getPath())
                .allMatch(w -> w.startsWith("PATCH " + API + "machines/")
                        || w.equals("PUT " + API + "machinedeployments/arm/scale"))
                .filteredOn(w -> w.startsWith("PATCH"))
                .containsExactlyInAnyOrderElementsOf(machines.stream().map(m -> "PATCH " + API + "machines/" + m)
                        .toList());
        assertThat(armWrites.get(0).getMethod()).isEqualTo("PATCH");
        RecordedRequest last = armWrites.get(armWrites.size() - 1);
        assertThat(last.getMethod() + " " + last.getPath()).isEqualTo("PUT " + API + "machinedeployments/arm/scale");
        assertThat(json.unmarshal(last.getBody().readUtf8(), Scale.class).getSpec().getReplicas()).isZero();
        for (String m : machines) {
            assertThat(client.genericKubernetesResources(MACHINES).inNamespace(NS).withName(m).get().getMetadata()
                    .getAnnotations()).containsKey("cluster.x-k8s.io/delete-machine");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject arm = harness.status("arm");
            assertThat(arm.getInteger("inFlight")).isZero();
            assertThat(arm.getInteger("targetSize")).isZero();
        });
    }

    /** Takes the requests the server got so far, keeping the writes. */
    private void drain() throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r);
            }
        }
    }

    private int replicas(String deployment) {
        Object r = client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NS).withName(deployment).get()
                .get("spec", "replicas");
        return ((Number) r).intValue();
    }

    private void machineDeployment(String name, String arch) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size", "0");
        annotations.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size", "5");
        annotations.put(CAPACITY + "cpu", "2");
        annotations.put(CAPACITY + "memory", "8Gi");
        annotations.put(CAPACITY + "maxPods", "110");
        annotations.put(CAPACITY + "labels", "kubernetes.io/arch=" + arch);
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NS).resource(
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("MachineDeployment")
                        .withNewMetadata().withNamespace(NS).withName(name).withAnnotations(annotations).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("clusterName", "metal", "replicas", 0,
                                "selector", Map.of("matchLabels", Map.of("cluster.x-k8s.io/cluster-name", "metal")),
                                "template", Map.of("spec", Map.of("clusterName", "metal", "version", "v1.31.2"))))
                        .build()).create();
    }

    private static ResourceDefinitionContext context(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io").withVersion("v1beta1")
                .withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s").withNamespaced(true).build();
    }
}
