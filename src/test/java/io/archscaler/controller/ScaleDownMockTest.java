package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-down through the whole loop against fabric8's CRUD mock API (with the sandbox's eviction
 * subresource) and simulated node groups: drains, deletions through the provider, failed drains,
 * and drains left behind by a controller that stopped.
 */
class ScaleDownMockTest {
    private static final String FAST = "scaleDown: {unneededTime: 1s, delayAfterAdd: 1s, delayAfterFailure: 10m,"
            + " maxGracefulTermination: 2s}";
    private static final Duration UNNEEDED_TIME = Duration.ofSeconds(1);

    @Test
    void emptyNodesAreRemovedWithTheirInstances() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", FAST)) {
            Controller c = h.startController("c0");
            h.createPods("web", 4, "500m", Map.of());
            h.closeBatch(c, 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("web").isEmpty()
                    && !h.archOfPods("web").contains(null));
            assertThat(h.client.nodes().list().getItems()).hasSize(2);

            h.client.pods().inNamespace("default").delete();

            unneeded(h, c, 0, 2);
            assertThat(h.client.nodes().list().getItems()).hasSize(2);
            h.time.advance(UNNEEDED_TIME);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().list().getItems().isEmpty());
            assertThat(scaleDowns(h)).hasSize(2).allSatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).isEqualTo("empty");
                assertThat(d.node()).startsWith("arm-");
            });
            assertThat(h.cloud.nodeGroups().toCompletableFuture().get())
                    .filteredOn(g -> g.name().equals("arm")).singleElement()
                    .satisfies(g -> assertThat(g.targetSize()).isZero());
            assertThat(metrics(c)).contains("archscaler_scale_downs_total{arch=\"arm64\",node_group=\"arm\",reason=\"empty\"} 2.0");
        }
    }

    @Test
    void anUnderutilizedNodeIsDrainedThroughTheEvictionApiAndRemoved() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", FAST)) {
            Controller c = h.startController("c0");
            Map<String, List<Pod>> byNode = fourPodsOnTwoNodes(h, c);
            String light = lightest(byNode);
            String heavy = byNode.keySet().stream().filter(n -> !n.equals(light)).findFirst().orElseThrow();
            Pod moving = byNode.get(light).get(0);

            // the heavy node drops to two pods (52% cpu): the light node's pod now fits there
            deletePod(h, byNode.get(heavy).get(0));
            unneeded(h, c, 3, 1);
            h.time.advance(UNNEEDED_TIME);

            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(light).get() == null);
            assertThat(h.client.nodes().withName(heavy).get()).isNotNull();
            assertThat(h.client.pods().inNamespace("default").withName(moving.getMetadata().getName()).get()).isNull();
            assertThat(scaleDowns(h)).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(light);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).startsWith("underutilized: cpu 26%");
            });
            assertThat(h.client.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo(light);
                        assertThat(e.getReason()).isEqualTo("ScaleDown");
                    })
                    .anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo(moving.getMetadata().getName()));
            assertThat(metrics(c)).contains("archscaler_drain_duration_seconds_count{arch=\"arm64\",node_group=\"arm\"} 1");
        }
    }

    @Test
    void aDrainThatFailsUncordonsTheNodeAndLeavesItAloneForDelayAfterFailure() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", FAST)) {
            // two budgets select every pod of the namespace: each allows disruptions, but the API server
            // refuses to evict a pod with more than one budget
            for (String name : List.of("web-a", "web-b")) {
                h.client.policy().v1().podDisruptionBudget().inNamespace("default").resource(
                        new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace("default")
                                .endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(5)).withNewSelector()
                                .endSelector().endSpec()
                                .withNewStatus().withDisruptionsAllowed(5).endStatus().build()).create();
            }
            Controller c = h.startController("c0");
            Map<String, List<Pod>> byNode = fourPodsOnTwoNodes(h, c);
            String light = lightest(byNode);
            String heavy = byNode.keySet().stream().filter(n -> !n.equals(light)).findFirst().orElseThrow();
            deletePod(h, byNode.get(heavy).get(0));
            unneeded(h, c, 3, 1);
            h.time.advance(UNNEEDED_TIME);
            // the drain starts and its evictions are refused; they are retried until maxGracefulTermination
            // (2s) has passed on the clock
            await().atMost(Duration.ofSeconds(10)).until(() -> h.client.nodes().withName(light).get()
                    .getSpec().getTaints().stream().anyMatch(NodeDrainer::isOurs));
            assertThat(scaleDowns(h)).isEmpty();
            h.time.advance(Duration.ofSeconds(3));

            await().atMost(Duration.ofSeconds(30)).until(() -> !scaleDowns(h).isEmpty());
            assertThat(scaleDowns(h)).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(light);
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("more than one PodDisruptionBudget");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Node n = h.client.nodes().withName(light).get();
                assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
                assertThat(n.getSpec().getTaints()).noneMatch(NodeDrainer::isOurs);
            });
            assertThat(h.client.pods().inNamespace("default").withName(byNode.get(light).get(0).getMetadata().getName())
                    .get()).isNotNull();
            // back in service (once the controller's informer sees it so), the node is unneeded again;
            // after unneededTime, the scans keep it for its failure instead of draining it again
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                h.time.advance(UNNEEDED_TIME);
                return metrics(c).contains("archscaler_unremovable_nodes_total{reason=\"RecentlyFailed\"} 1.0");
            });
            assertThat(scaleDowns(h)).hasSize(1);
        }
    }

    @Test
    void aNewLeaderFinishesADrainedNodeAndUndoesAnInterruptedDrain() throws Exception {
        // unneededTime stays at its default (10m): only the recovery acts in this test
        try (ControllerHarness h = new ControllerHarness(false, "300ms", "")) {
            Controller first = h.startController("c0");
            Map<String, List<Pod>> byNode = fourPodsOnTwoNodes(h, first);
            first.stop().toCompletionStage().toCompletableFuture().get();
            String drained = lightest(byNode);
            String interrupted = byNode.keySet().stream().filter(n -> !n.equals(drained)).findFirst().orElseThrow();
            // the stopped controller had tainted both, emptied one and was evicting from the other
            markDraining(h, drained);
            markDraining(h, interrupted);
            byNode.get(drained).forEach(p -> deletePod(h, p));

            h.startController("c1");

            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(drained).get() == null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Node n = h.client.nodes().withName(interrupted).get();
                assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
                assertThat(n.getSpec().getTaints()).noneMatch(NodeDrainer::isOurs);
                assertThat(n.getMetadata().getAnnotations()).doesNotContainKey(NodeDrainer.CORDONED_ANNOTATION);
            });
            assertThat(scaleDowns(h)).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(drained);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).isEqualTo(ScaleDownLoop.RESUMED_REASON);
            });
            assertThat(h.client.pods().inNamespace("default").list().getItems()).hasSize(byNode.get(interrupted).size());
        }
    }

    /**
     * Once the controller sees {@code scheduledPods} pods bound, moves the clock well past
     * delayAfterAdd (measured from the scale-up on the clock, and from the nodes' creation, which the
     * stand-in stamps in real time) and waits for the scan that finds {@code nodes} of the arm group
     * unneeded: their unneededTime starts there.
     */
    private static void unneeded(ControllerHarness h, Controller c, int scheduledPods, int nodes) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c)
                .getInteger("scheduledPods") == scheduledPods);
        h.time.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics(c).contains(
                "archscaler_unneeded_nodes{arch=\"arm64\",node_group=\"arm\"} " + nodes + ".0"));
    }

    /** Four 500m pods: three on one m7g.large (1930m allocatable), one on a second. */
    private static Map<String, List<Pod>> fourPodsOnTwoNodes(ControllerHarness h, Controller c) {
        h.createPods("web", 4, "500m", Map.of());
        h.closeBatch(c, 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> h.archOfPods("web").size() == 4
                && !h.archOfPods("web").contains(null));
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod p : h.client.pods().inNamespace("default").list().getItems()) {
            byNode.computeIfAbsent(p.getSpec().getNodeName(), n -> new ArrayList<>()).add(p);
        }
        assertThat(byNode).hasSize(2);
        return byNode;
    }

    private static String lightest(Map<String, List<Pod>> byNode) {
        return byNode.entrySet().stream().min(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
    }

    private static void deletePod(ControllerHarness h, Pod p) {
        h.client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
    }

    private static void markDraining(ControllerHarness h, String node) {
        h.client.nodes().withName(node).edit(n -> {
            n.getSpec().setUnschedulable(true);
            n.getMetadata().getAnnotations().put(NodeDrainer.CORDONED_ANNOTATION, "true");
            List<io.fabric8.kubernetes.api.model.Taint> taints = new ArrayList<>(n.getSpec().getTaints());
            taints.add(new TaintBuilder().withKey(ScaleDownAnnotations.TO_BE_DELETED_TAINT).withValue("1")
                    .withEffect("NoSchedule").build());
            n.getSpec().setTaints(taints);
            return n;
        });
    }

    private static List<Decision> scaleDowns(ControllerHarness h) {
        return h.decisions.stream().filter(d -> Decision.SCALE_DOWN.equals(d.action())).toList();
    }

    private static String metrics(Controller c) throws Exception {
        return ControllerHarness.metrics(c);
    }
}
