package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

import static io.archscaler.controller.RestoreMockTest.BACKOFF_OVER;
import static io.archscaler.controller.RestoreMockTest.SCAN;
import static io.archscaler.controller.RestoreMockTest.fallBack;
import static io.archscaler.controller.RestoreMockTest.podsOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A move toward arm64 draining its node while the controller loses and wins back the Lease: the
 * drain carries the to-be-deleted taint, which scale-down's recovery on taking over would take for
 * one a stopped controller left; it must leave the move's node to the move, which then finishes.
 */
class RestoreLeadershipMockTest {
    /** The drain's deadline is on the test's clock: long enough that the scans the test runs do not reach it. */
    private static final String SLOW_DRAIN = "scaleDown: {maxGracefulTermination: 10m}";

    @Test
    void aMoveDrainingWhileLeadershipIsLostAndWonBackIsLeftToFinish() throws Exception {
        // arm64 nodes take 2s to register: time to hold the drain back before it starts
        try (ControllerHarness h = new ControllerHarness(true, "2s", SLOW_DRAIN)) {
            budget(h, 3);
            Controller c = h.startController("c0");
            await().atMost(Duration.ofSeconds(15)).until(() -> ControllerHarness.status(c).getBoolean("leader"));
            String amd = fallBack(h, c, List.of());
            h.cloud.setCapacityShortage("arm", false);
            h.time.advance(BACKOFF_OVER);
            await().atMost(Duration.ofSeconds(10)).until(() -> isCordoned(h.client.nodes().withName(amd).get()));
            // the budget allows nothing now: the drain, once it starts, is refused (429) and retries
            budget(h, 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> hasDrainTaint(h.client.nodes().withName(amd).get()));

            // another replica takes the Lease for 3s, then lets it lapse: c0 stops leading and leads again
            Lease taken = h.client.leases().inNamespace("archscaler").withName("test").get();
            taken.getSpec().setHolderIdentity("c1");
            taken.getSpec().setLeaseDurationSeconds(3);
            taken.getSpec().setAcquireTime(ZonedDateTime.now());
            taken.getSpec().setRenewTime(ZonedDateTime.now());
            h.client.leases().inNamespace("archscaler").resource(taken).update();
            await().atMost(Duration.ofSeconds(10)).until(() -> !ControllerHarness.status(c).getBoolean("leader"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ControllerHarness.status(c).getBoolean("leader"));
            // the takeover's recovery and a few scans run; the node stays the move's, mid-drain
            for (int i = 0; i < 3; i++) {
                h.time.advance(SCAN);
                Thread.sleep(300);
            }
            Node mid = h.client.nodes().withName(amd).get();
            assertThat(isCordoned(mid)).isTrue();
            assertThat(hasDrainTaint(mid)).isTrue();
            assertThat(podsOn(h, amd)).hasSize(3);
            assertThat(h.client.v1().events().inNamespace("default").list().getItems())
                    .noneMatch(e -> "ScaleDownCancelled".equals(e.getReason()) || "RestoreCancelled".equals(e.getReason()));
            assertThat(ControllerHarness.status(c).getJsonObject("restores").getJsonArray("inProgress").getJsonObject(0)
                    .getString("step")).isEqualTo("draining");

            // the budget allows the evictions again: the move finishes
            budget(h, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> h.client.nodes().withName(amd).get() == null);
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(amd);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).startsWith("restore: node removed");
            });
            assertThat(ControllerHarness.metrics(c))
                    .contains("archscaler_restores_total{outcome=\"moved\",reason=\"restore\"} 1.0");
        }
    }

    /** One budget over every pod of the namespace, allowing {@code allowed} disruptions now. */
    private static void budget(ControllerHarness h, int allowed) {
        var budgets = h.client.policy().v1().podDisruptionBudget().inNamespace("default");
        if (budgets.withName("checkout").get() != null) {
            budgets.withName("checkout").edit(b -> new PodDisruptionBudgetBuilder(b).editSpec()
                    .withMaxUnavailable(new IntOrString(allowed)).endSpec().editStatus().withDisruptionsAllowed(allowed)
                    .endStatus().build());
            return;
        }
        budgets.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("checkout")
                .withNamespace("default").endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(allowed))
                .withNewSelector().endSelector().endSpec().withNewStatus().withDisruptionsAllowed(allowed).endStatus()
                .build()).create();
    }

    private static boolean isCordoned(Node n) {
        return Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    }

    private static boolean hasDrainTaint(Node n) {
        return n.getSpec().getTaints() != null && n.getSpec().getTaints().stream().anyMatch(NodeDrainer::isOurs);
    }
}
