package io.archscaler.controller;

import io.archscaler.cloud.FailedLaunches;
import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.Node;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.archscaler.controller.RestoreMockTest.SCAN;
import static io.archscaler.controller.RestoreMockTest.fallBack;
import static io.archscaler.controller.RestoreMockTest.kept;
import static io.archscaler.controller.RestoreMockTest.moveScaleUps;
import static io.archscaler.controller.RestoreMockTest.podsOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A move whose arm64 capacity the cloud accepts and then fails, as EKS and ASG report it (the
 * simulated provider's late shortage): the provisioning watch finds the failed placeholders, and
 * the move is undone (node uncordoned, nothing evicted), the arm64 target corrected, the group
 * backed off and its circuit opened; once the backoff is over and a probe succeeded, the move is
 * tried again and succeeds.
 */
class RestoreLateFailureMockTest {
    /** The circuit opens on one capacity failure and lets a probe through 1s (real time) later. */
    private static final ResiliencePolicy ONE_FAILURE_OPENS = ResiliencePolicy.defaults()
            .withCircuit(new ResiliencePolicy.Circuit(1, Duration.ofSeconds(1), 1));
    /** Past a second failure's backoff (backoffInitial 5m doubled). */
    private static final Duration SECOND_BACKOFF_OVER = Duration.ofMinutes(10).plusSeconds(10);

    @Test
    void aMoveWhoseArm64CapacityFailsAfterItWasAcceptedIsUndoneAndSucceedsAfterTheBackoffAndAProbe() throws Exception {
        ControllerHarness.Setup setup = new ControllerHarness.Setup()
                .extraYaml("scaleDown: {maxGracefulTermination: 2s, restore: {interval: 1m}}").policy(ONE_FAILURE_OPENS);
        try (ControllerHarness h = new ControllerHarness(setup)) {
            Controller c = h.startController("c0");
            String amd = fallBack(h, c, List.of());
            h.cloud.setCapacityShortage("arm", false);
            h.time.advance(RestoreMockTest.BACKOFF_OVER);
            probe(h, c, "probe-a", 4);

            // the next move's arm64 node is accepted, then fails for capacity 500ms later
            h.cloud.setLateCapacityShortage("arm", Duration.ofMillis(500));
            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(10)).until(() -> moveScaleUps(h).size() == 1);
            assertThat(moveScaleUps(h).get(0).outcome()).isEqualTo(Decision.REQUESTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> cordoned(h, amd));
            // the cloud reports the failure on the accepted instances (500ms after the call, in its own time)
            await().atMost(Duration.ofSeconds(10)).until(() -> FailedLaunches.in(
                    h.cloud.instances("arm").toCompletableFuture().get()).isPresent());
            // the provisioning watch asks the cloud every failureCheckInterval (2s) while arm64 nodes are on their way
            h.time.advance(Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(10)).until(() -> !cordoned(h, amd));
            Node back = h.client.nodes().withName(amd).get();
            assertThat(back.getMetadata().getAnnotations()).doesNotContainKeys(NodeDrainer.MOVING_ANNOTATION,
                    NodeDrainer.CORDONED_ANNOTATION);
            assertThat(podsOn(h, amd)).containsExactlyInAnyOrder("checkout-0", "checkout-1", "checkout-2");
            assertThat(h.client.v1().events().inNamespace("default").list().getItems())
                    .noneMatch(e -> "Pod".equals(e.getInvolvedObject().getKind()) && "Restore".equals(e.getReason()));
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(amd);
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.reason()).isEqualTo("restore: move undone, nothing evicted");
                assertThat(d.error()).contains("the arm64 nodes of arm will not come");
            });
            assertThat(h.decisions).anySatisfy(d -> {
                assertThat(d.action()).isEqualTo(Decision.SCALE_UP);
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.reason()).startsWith("failed after it was accepted; backing off until");
                assertThat(d.error()).startsWith("InsufficientCapacity");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.metrics(c)
                    .contains("archscaler_restores_total{outcome=\"undone\",reason=\"restore\"} 1.0"));
            // the arm64 target is back to the probe's one node; the group is backed off, its circuit open
            await().atMost(Duration.ofSeconds(10)).until(() -> armTarget(h) == 1);
            JsonObject arm = armStatus(c);
            assertThat(arm.getInteger("targetSize")).isEqualTo(1);
            assertThat(arm.getJsonObject("backoff").getString("reason")).isEqualTo("InsufficientCapacity");
            assertThat(h.providers.openCircuits().get()).contains("arm");

            // capacity is back: past the backoff the circuit waits on its probe, and no move trusts arm64 before it
            h.cloud.setCapacityShortage("arm", false);
            h.time.advance(SECOND_BACKOFF_OVER);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.providers.halfOpenCircuits().get().contains("arm"));
            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, "NoArm64Room") == 1);
            assertThat(moveScaleUps(h)).hasSize(1);
            probe(h, c, "probe-b", 5);

            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(amd).get() == null);
            assertThat(moveScaleUps(h)).hasSize(2);
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).extracting(Decision::outcome)
                    .containsExactly(Decision.FAILED, Decision.SUCCEEDED);
            assertThat(ControllerHarness.metrics(c))
                    .contains("archscaler_restores_total{outcome=\"moved\",reason=\"restore\"} 1.0")
                    .contains("archscaler_restores_total{outcome=\"undone\",reason=\"restore\"} 1.0");
        }
    }

    /**
     * An arm64-only pod of 1500m (a new m7g.large, too full after for a move's three 500m pods):
     * once the circuit is half open, its scale-up is the probe that closes it.
     */
    private static void probe(ControllerHarness h, Controller c, String name, int scheduledPods) {
        await().atMost(Duration.ofSeconds(10)).until(() -> h.providers.halfOpenCircuits().get().contains("arm"));
        h.createPods(name, 1, "1500m", Map.of("kubernetes.io/arch", "arm64"));
        h.closeBatch(c, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> h.archOfPods(name).equals(List.of("arm64")));
        assertThat(h.providers.halfOpenCircuits().get()).doesNotContain("arm");
        assertThat(h.providers.openCircuits().get()).doesNotContain("arm");
        await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c)
                .getInteger("scheduledPods") == scheduledPods);
    }

    private static boolean cordoned(ControllerHarness h, String node) {
        return Boolean.TRUE.equals(h.client.nodes().withName(node).get().getSpec().getUnschedulable());
    }

    private static int armTarget(ControllerHarness h) throws Exception {
        return h.cloud.nodeGroups().toCompletableFuture().get().stream().filter(g -> g.name().equals("arm"))
                .findFirst().orElseThrow().targetSize();
    }

    private static JsonObject armStatus(Controller c) throws Exception {
        return ControllerHarness.status(c).getJsonArray("nodeGroups").stream().map(JsonObject.class::cast)
                .filter(g -> g.getString("name").equals("arm")).findFirst().orElseThrow();
    }
}
