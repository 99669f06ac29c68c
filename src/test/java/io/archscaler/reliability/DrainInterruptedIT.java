package io.archscaler.reliability;

import io.archscaler.events.Decision;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller is killed in the middle of a scale-down: the node is cordoned and carries the
 * to-be-deleted taint. The next controller finds it and finishes the drain when nothing is left
 * to evict (the node's instance is deleted once), or undoes it when pods are still on it (the
 * node is back in service, its pods untouched). Scale-down's eviction and PDB rules are the
 * scale-down tests' subject; here the API server simply refuses evictions.
 */
class DrainInterruptedIT {
    private static final String SCALE_DOWN = "scaleDown: {unneededTime: 1s, delayAfterAdd: 1s, delayAfterFailure: 10m,"
            + " maxGracefulTermination: 60s}";

    @Test
    void aNodeLeftEmptyAndTaintedIsDeletedOnceByTheNextController() throws Exception {
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), FaultHarness.Setup.single("300ms", 5)
                .withExtra(SCALE_DOWN)).withScheduler()) {
            StormyCloud stormy = new StormyCloud(h.cloud);
            // the first deletion never answers: the controller dies while it waits
            stormy.queue("deleteNodes", StormyCloud.Fault.NO_ANSWER);
            h.wrapProviders(cloud -> stormy, Set::of);
            FaultHarness.Replica first = h.start("first");
            h.createPods("web", 2, "250m", "5Gi", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> h.boundPods() == 2);
            String kept = nodeOf(h, "web-000");
            String emptied = nodeOf(h, "web-001");
            long started = System.nanoTime();

            h.client.pods().inNamespace("default").withName("web-001").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> stormy.count("deleteNodes", "NO_ANSWER") == 1
                    && tainted(h, emptied));
            first.crash();
            FaultHarness.Replica next = h.start("next");

            boolean deleted = Waiting.until(Duration.ofSeconds(30), () -> h.client.nodes().withName(emptied).get() == null);
            // the finished drain's decision is recorded once its deletion has answered; a second deletion could only
            // come from a scan that still sees the node, and none can once the new controller's own view has lost it
            boolean settled = Waiting.until(Duration.ofSeconds(30),
                    () -> !scaleDowns(h).isEmpty() && next.status().getInteger("nodes") == 1);
            List<Decision> scaleDowns = scaleDowns(h);
            long deletions = stormy.count("deleteNodes", "ok");
            boolean keptUntouched = h.client.nodes().withName(kept).get() != null && !tainted(h, kept);
            boolean podKept = nodeOf(h, "web-000") != null;
            ReliabilityLog.write(new ReliabilityLog.Fault("drain-killed-finish",
                    "Controller killed mid-drain: node already empty",
                    "an empty node is cordoned and tainted, its instance deletion never answers (StormyCloud), the "
                            + "controller is killed (client and Vert.x closed, no clean stop); a new controller starts",
                    2, scaleDowns.size(), 0, Math.max(0, deletions - 1), (podKept ? 0 : 1) + (keptUntouched ? 0 : 1),
                    "the new controller " + (deleted ? "finished the drain" : "did NOT finish the drain") + ": "
                            + deletions + " instance deletion(s), decisions " + scaleDowns.stream()
                            .map(d -> d.outcome() + " (" + d.reason() + ")").toList() + "; the other node and its pod "
                            + (keptUntouched && podKept ? "untouched" : "DISTURBED"), Waiting.since(started)));

            assertThat(deleted).as("the tainted empty node was removed").isTrue();
            assertThat(settled).as("the drain decided and the node gone from the new controller's view").isTrue();
            assertThat(deletions).as("its instance was deleted once").isEqualTo(1);
            assertThat(scaleDowns).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(emptied);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
            });
            assertThat(keptUntouched).isTrue();
            assertThat(podKept).isTrue();
            assertThat(h.targetSize("arm")).isEqualTo(1);
            assertThat(next.status().getBoolean("leader")).isTrue();
        }
    }

    @Test
    void aNodeLeftTaintedWithPodsStillOnItIsPutBackInServiceByTheNextController() throws Exception {
        ApiServer.FaultyApiServer server = ApiServer.faulty();
        try (FaultHarness h = new FaultHarness(server, FaultHarness.Setup.single("300ms", 5).withExtra(SCALE_DOWN))
                .withScheduler()) {
            FaultHarness.Replica first = h.start("first");
            h.createPods("big", 2, "250m", "5Gi", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> h.boundPods() == 2);
            // a small pod next to one of the big ones
            h.createPods("tiny", 1, "100m", "1Gi", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> h.boundPods() == 3);
            String light = nodeOf(h, "tiny-000");
            long started = System.nanoTime();

            // the API server refuses evictions (429): the drain that follows gets stuck with the pod on the node
            server.dispatcher.refuseEvictions(true);
            h.client.pods().inNamespace("default").withName(light.equals(nodeOf(h, "big-000")) ? "big-000" : "big-001")
                    .delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> tainted(h, light) && unschedulable(h, light)
                    && server.dispatcher.evictionsRefused() > 0);
            first.crash();
            AtomicBoolean backInService = new AtomicBoolean();
            FaultHarness.Replica next = h.start("next");

            boolean undone = Waiting.until(Duration.ofSeconds(30), () -> {
                if (!tainted(h, light) && !unschedulable(h, light)) {
                    backInService.set(true);
                }
                return backInService.get() && cancelled(h, light);
            });
            boolean podKept = light.equals(nodeOf(h, "tiny-000"));
            List<Decision> scaleDowns = scaleDowns(h);
            long removed = scaleDowns.stream().filter(d -> Decision.SUCCEEDED.equals(d.outcome())).count();
            ReliabilityLog.write(new ReliabilityLog.Fault("drain-killed-undo",
                    "Controller killed mid-drain: pods still on the node",
                    "an underutilized node is cordoned and tainted, the API server refuses its pod's eviction (429), "
                            + "the controller is killed; a new controller starts",
                    3, scaleDowns.size(), 0, 0, (podKept ? 0 : 1) + removed,
                    "the new controller " + (undone ? "put the node back in service (uncordoned, taint removed, "
                            + "ScaleDownCancelled event)" : "did NOT undo the drain") + "; its pod "
                            + (podKept ? "stayed where it was" : "was DISTURBED") + "; nodes removed: " + removed,
                    Waiting.since(started)));

            assertThat(undone).as("the interrupted drain was undone").isTrue();
            assertThat(podKept).isTrue();
            assertThat(h.client.nodes().withName(light).get()).isNotNull();
            assertThat(removed).isZero();
            assertThat(next.status().getBoolean("leader")).isTrue();
        }
    }

    private static List<Decision> scaleDowns(FaultHarness h) {
        return h.decisions.stream().filter(d -> Decision.SCALE_DOWN.equals(d.action())).toList();
    }

    private static String nodeOf(FaultHarness h, String pod) {
        Pod p = h.client.pods().inNamespace("default").withName(pod).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    private static boolean tainted(FaultHarness h, String node) {
        Node n = h.client.nodes().withName(node).get();
        return n != null && n.getSpec().getTaints() != null && n.getSpec().getTaints().stream()
                .anyMatch(t -> ScaleDownAnnotations.TO_BE_DELETED_TAINT.equals(t.getKey()));
    }

    private static boolean unschedulable(FaultHarness h, String node) {
        Node n = h.client.nodes().withName(node).get();
        return n != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    }

    private static boolean cancelled(FaultHarness h, String node) {
        return h.client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> "ScaleDownCancelled".equals(e.getReason()) && node.equals(e.getInvolvedObject().getName()));
    }
}
