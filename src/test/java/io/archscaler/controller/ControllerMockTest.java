package io.archscaler.controller;

import io.archscaler.events.Decision;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole scaling loop against fabric8's CRUD mock API with simulated node groups. */
class ControllerMockTest {
    private static final Map<String, String> AMD64 = Map.of("kubernetes.io/arch", "amd64");

    @Test
    void pendingFlexiblePodsScaleUpTheArm64GroupAndGetNodes() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false)) {
            Controller c = h.startController("c0");
            h.createPods("web", 5, "500m", Map.of());
            // the batch stays open until the clock reaches its close, however long the pods wait
            h.closeBatch(c, 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("web").contains(null));
            assertThat(h.archOfPods("web")).containsOnly("arm64");
            assertThat(h.successfulScaleUps("arm")).isNotEmpty();
            assertThat(h.successfulScaleUps("x86")).isEmpty();
            assertThat(h.client.nodes().list().getItems()).hasSize(2);
            // like the Cluster Autoscaler, the decision is told on the pods
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    h.client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> e.getReason().equals("TriggeredScaleUp"))
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("web-0", "web-1", "web-2", "web-3", "web-4"));
            assertThat(h.client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> e.getReason().equals("TriggeredScaleUp")).first()
                    .satisfies(e -> assertThat(e.getMessage()).isEqualTo(
                            "pod triggered scale-up: [{arm 0->2 (max: 5)}]"));
        }
    }

    @Test
    void amd64LockedPodsReachTheAmd64Group() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false)) {
            Controller c = h.startController("c0");
            h.createPods("legacy", 3, "500m", AMD64);
            h.closeBatch(c, 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("legacy").contains(null));
            assertThat(h.archOfPods("legacy")).containsOnly("amd64");
            assertThat(h.successfulScaleUps("arm")).isEmpty();
        }
    }

    @Test
    void aPodNoGroupCanTakeGetsANotTriggerScaleUpEvent() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false)) {
            Controller c = h.startController("c0");
            h.createPods("huge", 1, "64", Map.of());
            h.closeBatch(c, 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    h.client.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("NotTriggerScaleUp");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("huge-0");
                        assertThat(e.getMessage()).startsWith("pod didn't trigger scale-up: ").contains("insufficient cpu");
                    }));
            assertThat(h.decisions).isEmpty();
        }
    }

    @Test
    void insufficientCapacityOnArm64MakesFlexiblePodsFallBackToAmd64AtOnce() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false)) {
            h.cloud.setCapacityShortage("arm", true);
            Controller c = h.startController("c0");
            h.createPods("burst", 4, "500m", Map.of());
            Instant batchOpened = h.time.clock().instant();
            h.closeBatch(c, 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("burst").contains(null));
            // the clock moved only by the batch window, far below maxNodeProvisionTime (1m) and the
            // rescan interval (10s): the failure itself triggered the replan
            assertThat(Duration.between(batchOpened, h.time.clock().instant())).isEqualTo(ControllerHarness.BATCH_IDLE);
            assertThat(h.archOfPods("burst")).containsOnly("amd64");
            assertThat(h.decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("InsufficientCapacity");
            });
            assertThat(h.successfulScaleUps("x86")).allSatisfy(d -> {
                        assertThat(d.isFallback()).isTrue();
                        assertThat(d.reason()).startsWith("fallback: ");
                    });
        }
    }

    @Test
    void podsCoveredByAnInFlightScaleUpAreNotPlannedAgain() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "4s")) {
            Controller c = h.startController("c0");
            h.createPods("web", 5, "500m", Map.of());
            h.closeBatch(c, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.successfulScaleUps("arm").size() == 1);
            // while the two nodes are on their way (4 s), a new pod opens another batch: the in-flight
            // room (3 + 3 slots for 5 pods) covers it, so nothing more is asked for
            h.createPods("late", 1, "500m", Map.of());
            h.closeBatch(c, 6);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("web").contains(null)
                    && !h.archOfPods("late").contains(null));
            assertThat(h.successfulScaleUps("arm")).hasSize(1);
            assertThat(h.successfulScaleUps("arm").get(0).to()).isEqualTo(2);
            assertThat(h.cloud.scaleUpCalls("arm")).isEqualTo(1);
            assertThat(h.successfulScaleUps("x86")).isEmpty();
        }
    }

    @Test
    void onlyTheLeaderOfTwoControllersScales() throws Exception {
        try (ControllerHarness h = new ControllerHarness(true)) {
            Controller a = h.startController("replica-a");
            Controller b = h.startController("replica-b");
            h.createPods("web", 3, "500m", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> ControllerHarness.status(a).getBoolean("leader")
                    || ControllerHarness.status(b).getBoolean("leader"));
            h.closeBatch(ControllerHarness.status(a).getBoolean("leader") ? a : b, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> !h.archOfPods("web").contains(null));
            assertThat(h.cloud.scaleUpCalls("arm")).isEqualTo(1);
            assertThat(h.client.leases().inNamespace("archscaler").withName("test").get().getSpec()
                    .getHolderIdentity()).isIn("replica-a", "replica-b");
        }
    }
}
