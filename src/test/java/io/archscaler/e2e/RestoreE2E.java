package io.archscaler.e2e;

import io.archscaler.controlplane.ControlPlane;
import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.archscaler.e2e.E2eWorkloads.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Back to arm64 on the real control plane. arm64 (the simulated cloud) is short of capacity, so
 * the four {@code checkout} pods (1.5 cpu each, two a 4-cpu node) fall back to two amd64 nodes.
 * Capacity comes back; once arm64's backoff is over Archscaler moves one node at a time
 * ({@code restore.maxNodes} 1): it cordons the amd64 node, grows arm64, waits until the new node
 * is Ready, and drains the amd64 node through the Eviction API. The PodDisruptionBudget (2 of 4
 * available) allows a node's two evictions, as scale-down's rules require before a node is
 * chosen; the real disruption controller decides each, and the next node is chosen only once the
 * budget allows again. The ReplicaSet recreates each evicted pod, the real kube-scheduler places
 * it on the new arm64 node and kwok runs it. A sampler checks throughout that the budget was
 * never broken and that no pod waited unscheduled longer than the registration delay and a margin.
 */
@ExtendWith(SharedControlPlane.class)
class RestoreE2E {
    private static final String NAMESPACE = "restore-e2e";
    private static final String GROUP = "restore";
    private static final String ARM = "restore-arm64";
    private static final String AMD = "restore-amd64";
    private static final String TAINT = "archscaler.io/e2e-restore";
    private static final Duration REGISTRATION_DELAY = Duration.ofSeconds(1);
    /** The scheduler's and the ReplicaSet controller's reaction, beside the node's registration. */
    private static final Duration PENDING_MARGIN = Duration.ofSeconds(5);
    private static final int REPLICAS = 4;
    private static final int MIN_AVAILABLE = 2;
    private static final String CONFIG = """
            cluster: e2e
            nodeGroups:
              - {name: restore-arm64, provider: simulated, arch: arm64, maxSize: 3, pricePerHour: 0.08,
                 capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {archscaler.io/e2e-group: restore},
                 taints: [{key: archscaler.io/e2e-restore, value: e2e, effect: NoSchedule}],
                 simulated: {registrationDelay: 1s}}
              - {name: restore-amd64, provider: simulated, arch: amd64, maxSize: 3, pricePerHour: 0.10,
                 capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {archscaler.io/e2e-group: restore},
                 taints: [{key: archscaler.io/e2e-restore, value: e2e, effect: NoSchedule}],
                 simulated: {registrationDelay: 1s}}
            scaleUp: {batchIdle: 500ms, batchMax: 2s, maxNodeProvisionTime: 1m, backoffInitial: 5s, offeringUnavailableFor: 5s}
            scaleDown: {enabled: true, utilizationThreshold: 0.5, unneededTime: 5s, delayAfterAdd: 2s,
                        maxGracefulTermination: 60s, restore: {maxNodes: 1}}
            leaderElection: {enabled: false, namespace: restore-e2e}
            images: {resolve: false, onUnknown: assume-multiarch}
            """;

    /** One look at the workload: how many pods are available, and the nodes of each group. */
    private record Sample(Instant at, int available, Set<String> armNodes, Set<String> amdNodes) {
    }

    @Test
    void afterAFallbackThePodsMoveBackToArm64WithinTheBudgetOnceArm64CanTakeThem(ControlPlane controlPlane)
            throws Exception {
        long started = System.nanoTime();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        Map<String, Duration> pendedFor = new ConcurrentHashMap<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (KubernetesClient admin = controlPlane.newClient();
             KubernetesClient sampling = controlPlane.newClient();
             ObservedArchscaler archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG, "archscaler-restore-e2e")) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();

            // arm64 is short of capacity: the pods fall back to amd64
            archscaler.simulated().setCapacityShortage(ARM, true);
            admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE)
                    .resource(E2eWorkloads.budget("checkout", MIN_AVAILABLE)).create();
            admin.apps().deployments().inNamespace(NAMESPACE)
                    .resource(E2eWorkloads.deployment("checkout", REPLICAS, "example/checkout:1", "1500m", GROUP, TAINT))
                    .create();
            await().atMost(Duration.ofSeconds(60)).until(() -> available(admin) == REPLICAS);
            assertThat(names(admin, ARM)).isEmpty();
            Set<String> amdNodes = names(admin, AMD);
            assertThat(amdNodes).hasSize(2);
            assertThat(pods(admin, NAMESPACE, "checkout")).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isIn(amdNodes));
            assertThat(archscaler.decisions()).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo(ARM);
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
            });
            step("fallback: " + REPLICAS + " pods available on " + amdNodes, started);

            // arm64 capacity is back; from here on, every pod's wait for a node and the budget are sampled
            Instant back = Instant.now();
            sampler.scheduleWithFixedDelay(() -> samples.add(sample(sampling, back, pendedFor)),
                    0, 100, TimeUnit.MILLISECONDS);
            archscaler.simulated().setCapacityShortage(ARM, false);
            try {
                await().atMost(Duration.ofSeconds(45)).until(() -> names(admin, AMD).isEmpty()
                        && available(admin) == REPLICAS);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("not moved; Archscaler's restores: " + archscaler.status().getJsonObject("restores")
                        .encode() + "; its decisions: " + archscaler.decisions(), e);
            }
            Instant finished = Instant.now();
            step("moved: " + amdNodes + " removed, " + REPLICAS + " pods available", started);
            Thread.sleep(500);
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);

            Map<String, String> archOf = new HashMap<>();
            admin.nodes().list().getItems().forEach(n -> archOf.put(n.getMetadata().getName(),
                    n.getMetadata().getLabels().get("kubernetes.io/arch")));
            assertThat(pods(admin, NAMESPACE, "checkout")).hasSize(REPLICAS).allSatisfy(p -> {
                assertThat(E2eWorkloads.available(p)).isTrue();
                assertThat(archOf.get(p.getSpec().getNodeName())).isEqualTo("arm64");
            });
            assertThat(names(admin, ARM)).hasSize(2);
            // one node at a time, each emptied onto the one arm64 node its move added
            List<Decision> removals = archscaler.decisions().stream().filter(d -> d.action() == Decision.SCALE_DOWN).toList();
            assertThat(removals).extracting(Decision::node).containsExactlyInAnyOrderElementsOf(amdNodes);
            assertThat(removals).extracting(Decision::outcome).containsOnly(Decision.SUCCEEDED);
            assertThat(removals).extracting(d -> d.reason().substring(0, d.reason().indexOf(';'))).containsExactly(
                    "restore: node removed, its pods moved to arm64 (" + ARM + " 0->1)",
                    "restore: node removed, its pods moved to arm64 (" + ARM + " 1->2)");
            assertThat(archscaler.status().getJsonObject("restores").getJsonArray("last")).hasSize(2)
                    .allSatisfy(m -> assertThat(((JsonObject) m).getString("outcome")).isEqualTo("moved"));

            Duration longest = pendedFor.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
            int fewest = samples.stream().mapToInt(Sample::available).min().orElse(-1);
            System.out.printf("RestoreE2E: capacity back %s, moves done %s (%.1f s); %d samples, fewest available %d"
                            + " (minAvailable %d); %d replacement pods, longest unscheduled %d ms%n",
                    back, finished, Duration.between(back, finished).toMillis() / 1e3, samples.size(), fewest,
                    MIN_AVAILABLE, pendedFor.size(), longest.toMillis());
            assertThat(samples).as("samples from capacity back to the end").hasSizeGreaterThan(20)
                    .allSatisfy(s -> assertThat(s.available()).as("available pods at " + s.at())
                            .isGreaterThanOrEqualTo(MIN_AVAILABLE));
            // an amd64 node went only once the arm64 node of its move was there
            assertThat(samples).allSatisfy(s -> assertThat(s.armNodes().size() + s.amdNodes().size())
                    .as("nodes at " + s.at()).isGreaterThanOrEqualTo(2));
            assertThat(pendedFor).as("the evicted pods' replacements").hasSize(REPLICAS);
            assertThat(longest).as("longest a replacement waited for a node")
                    .isLessThan(REGISTRATION_DELAY.plus(PENDING_MARGIN));
            assertThat(Duration.between(back, finished)).isLessThan(Duration.ofSeconds(45));
        } finally {
            sampler.shutdownNow();
            cleanUp(controlPlane);
        }
        step("whole test", started);
    }

    private static long available(KubernetesClient client) {
        return pods(client, NAMESPACE, "checkout").stream().filter(E2eWorkloads::available).count();
    }

    /**
     * Counts the available pods and the groups' nodes, and for every pod created after {@code since}
     * how long it stayed without a node: from its creation (whole seconds, so up to 1s early) to
     * the first sample that finds it bound (up to 100ms late); never less than it waited.
     */
    private static Sample sample(KubernetesClient client, Instant since, Map<String, Duration> pendedFor) {
        Instant now = Instant.now();
        List<Pod> checkout = pods(client, NAMESPACE, "checkout");
        for (Pod p : checkout) {
            Instant created = Instant.parse(p.getMetadata().getCreationTimestamp());
            if (!created.isBefore(since.minusSeconds(1)) && p.getSpec().getNodeName() != null) {
                pendedFor.putIfAbsent(p.getMetadata().getUid(), Duration.between(created, now));
            }
        }
        return new Sample(now, (int) checkout.stream().filter(E2eWorkloads::available).count(), names(client, ARM),
                names(client, AMD));
    }

    private static Set<String> names(KubernetesClient client, String nodeGroup) {
        return E2eWorkloads.nodesOf(client, nodeGroup).stream().map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    private static void cleanUp(ControlPlane controlPlane) {
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.namespaces().withName(NAMESPACE).delete();
            admin.nodes().withLabel(E2eWorkloads.GROUP_LABEL, GROUP).delete();
        }
    }

    private static void step(String what, long startedNanos) {
        System.out.printf("RestoreE2E: %-70s at %5.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
