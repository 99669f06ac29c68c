package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Moves back to arm64 through the whole loop against fabric8's CRUD mock API (with the sandbox's
 * eviction subresource), the stand-in scheduler and simulated node groups: after a fallback
 * (arm64 short of capacity, pods on amd64), once arm64's backoff is over the amd64 node is
 * replaced; a move whose arm64 nodes do not come is undone; the rules that keep a node hold; the
 * budget moves one node at a time.
 */
class RestoreMockTest {
    static final String DRAIN = "scaleDown: {maxGracefulTermination: 2s}";
    /** Past the harness's backoffInitial (5m): arm64 is trusted again. */
    static final Duration BACKOFF_OVER = Duration.ofMinutes(5).plusSeconds(10);
    /** Restores scan at scale-down's scan interval (10s with unneededTime 10m). */
    static final Duration SCAN = Duration.ofSeconds(10);

    @Test
    void afterAFallbackTheAmd64NodeIsReplacedByArm64OnceArm64CanTakeItsPodsAgain() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", DRAIN)) {
            Controller c = h.startController("c0");
            String amd = fallBack(h, c, List.of());

            // capacity is back, but the group stays in backoff: the node is kept for want of arm64 room
            h.cloud.setCapacityShortage("arm", false);
            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, "NoArm64Room") == 1);
            assertThat(moveScaleUps(h)).isEmpty();

            h.time.advance(BACKOFF_OVER);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(amd).get() == null);

            assertThat(moveScaleUps(h)).singleElement().satisfies(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.REQUESTED);
                assertThat(d.reason()).isEqualTo("restore: pods of " + amd + " to arm64");
                assertThat(d.to() - d.from()).isEqualTo(1);
            });
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(amd);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).startsWith("restore: node removed, its pods moved to arm64 (arm 0->1)");
            });
            assertThat(h.cloud.nodeGroups().toCompletableFuture().get())
                    .filteredOn(g -> g.name().equals("x86")).singleElement()
                    .satisfies(g -> assertThat(g.targetSize()).isZero());
            List<Event> events = h.client.v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
                assertThat(e.getInvolvedObject().getName()).isEqualTo(amd);
                assertThat(e.getReason()).isEqualTo("Restore");
                assertThat(e.getMessage()).contains("arm 0->1").contains("saving $");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    h.client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> "Pod".equals(e.getInvolvedObject().getKind()) && "Restore".equals(e.getReason()))
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("checkout-0", "checkout-1", "checkout-2"));
            String metrics = ControllerHarness.metrics(c);
            assertThat(metrics).contains("archscaler_restores_total{outcome=\"moved\",reason=\"restore\"} 1.0");
            assertThat(metrics).containsPattern("archscaler_restore_saving_per_hour 0\\.0[1-9]");
            JsonObject restores = ControllerHarness.status(c).getJsonObject("restores");
            assertThat(restores.getJsonArray("inProgress")).isEmpty();
            assertThat(restores.getJsonArray("last").getJsonObject(0).getString("outcome")).isEqualTo("moved");
            assertThat(restores.getDouble("savingPerHour")).isPositive();

            // the ReplicaSet's new pods run on the arm64 node the move added
            h.createPods("checkout-next", 3, "500m", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("checkout-next").contains(null));
            assertThat(h.archOfPods("checkout-next")).containsOnly("arm64");
            assertThat(h.cloud.scaleUpCalls("arm")).isEqualTo(2);
        }
    }

    @Test
    void aMoveWhoseArm64NodesDoNotComeInTimeIsUndoneAndEvictsNothing() throws Exception {
        // the arm64 node takes 5s to register: the clock passes maxNodeProvisionTime (1m) before
        try (ControllerHarness h = new ControllerHarness(false, "5s", DRAIN)) {
            Controller c = h.startController("c0");
            String amd = fallBack(h, c, List.of());
            h.cloud.setCapacityShortage("arm", false);
            h.time.advance(BACKOFF_OVER);
            await().atMost(Duration.ofSeconds(10)).until(() -> moveScaleUps(h).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(
                    h.client.nodes().withName(amd).get().getSpec().getUnschedulable()));

            h.time.advance(Duration.ofMinutes(1));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Node n = h.client.nodes().withName(amd).get();
                assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
                assertThat(n.getMetadata().getAnnotations()).doesNotContainKeys(NodeDrainer.MOVING_ANNOTATION,
                        NodeDrainer.CORDONED_ANNOTATION);
            });
            assertThat(podsOn(h, amd)).containsExactlyInAnyOrder("checkout-0", "checkout-1", "checkout-2");
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(amd);
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.reason()).isEqualTo("restore: move undone, nothing evicted");
                assertThat(d.error()).contains("will not come");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.metrics(c)
                    .contains("archscaler_restores_total{outcome=\"undone\",reason=\"restore\"} 1.0"));
            JsonObject last = ControllerHarness.status(c).getJsonObject("restores").getJsonArray("last").getJsonObject(0);
            assertThat(last.getString("outcome")).isEqualTo("undone");
            assertThat(h.client.v1().events().inNamespace("default").list().getItems())
                    .noneMatch(e -> "Pod".equals(e.getInvolvedObject().getKind()) && "Restore".equals(e.getReason()));
        }
    }

    @Test
    void aDoNotDisruptPodKeepsItsNodeOnAmd64() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", DRAIN)) {
            Controller c = h.startController("c0");
            String amd = fallBack(h, c, List.of("checkout-1"));
            staysOnceArm64IsBack(h, c, amd, "DoNotDisruptAnnotation");
        }
    }

    @Test
    void aPodDisruptionBudgetWithNoDisruptionLeftKeepsItsNode() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "300ms", DRAIN)) {
            // selects every pod of the namespace, and allows no disruption now
            h.client.policy().v1().podDisruptionBudget().inNamespace("default").resource(
                    new PodDisruptionBudgetBuilder().withNewMetadata().withName("checkout").withNamespace("default")
                            .endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(0)).withNewSelector()
                            .endSelector().endSpec().withNewStatus().withDisruptionsAllowed(0).endStatus().build())
                    .create();
            Controller c = h.startController("c0");
            String amd = fallBack(h, c, List.of());
            staysOnceArm64IsBack(h, c, amd, "NotEnoughPdb");
        }
    }

    @Test
    void withMaxNodesOneTheNodesMoveOneAtATime() throws Exception {
        String oneAtATime = "scaleDown: {maxGracefulTermination: 2s, restore: {maxNodes: 1}}";
        try (ControllerHarness h = new ControllerHarness(false, "1s", oneAtATime)) {
            Controller c = h.startController("c0");
            h.cloud.setCapacityShortage("arm", true);
            h.createPods("checkout", 6, "500m", Map.of());
            h.closeBatch(c, 6);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("checkout").contains(null));
            Set<String> amd = h.client.pods().inNamespace("default").list().getItems().stream()
                    .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
            assertThat(amd).hasSize(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c).getInteger("scheduledPods") == 6);
            h.cloud.setCapacityShortage("arm", false);

            h.time.advance(BACKOFF_OVER);
            // the first move waits for its arm64 node: the other node is kept for the budget, not cordoned
            await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, "RestoreBudgetReached") == 1);
            JsonObject moving = ControllerHarness.status(c).getJsonObject("restores").getJsonArray("inProgress")
                    .getJsonObject(0);
            String first = moving.getString("node");
            String second = amd.stream().filter(n -> !n.equals(first)).findFirst().orElseThrow();
            assertThat(h.client.nodes().withName(second).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(first).get() == null);
            assertThat(h.client.nodes().withName(second).get()).isNotNull();

            // the first move's pods have no replacements yet (no ReplicaSet controller here): their arm64
            // room is still theirs, so the next scans start no move and the other node stays in service
            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c).getJsonObject("restores")
                    .getJsonArray("settling").contains(first));
            for (int i = 0; i < 2; i++) {
                h.time.advance(SCAN);
                await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() ->
                        ControllerHarness.status(c).getJsonObject("restores").getJsonArray("inProgress").isEmpty());
            }
            assertThat(h.client.nodes().withName(second).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            assertThat(moveScaleUps(h)).hasSize(1);

            // the ReplicaSet's replacements come and are bound on arm64: the move has settled
            for (Pod p : ControllerHarness.pods("checkout", 3, "500m", Map.of())) {
                p.getMetadata().setName(p.getMetadata().getName().replace("checkout-", "checkout-r"));
                h.client.pods().inNamespace("default").resource(p).create();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ControllerHarness.status(c).getInteger("scheduledPods") == 6);

            // the next scan moves the other one
            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(second).get() == null);
            assertThat(ControllerHarness.status(c).getJsonObject("restores").getJsonArray("settling")).doesNotContain(first);
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN)
                    .extracting(Decision::node, Decision::outcome)
                    .containsExactly(tuple(first, Decision.SUCCEEDED), tuple(second, Decision.SUCCEEDED));
            assertThat(ControllerHarness.metrics(c))
                    .contains("archscaler_restores_total{outcome=\"moved\",reason=\"restore\"} 2.0");
        }
    }

    /**
     * Three flexible 500m pods (one m6i.large) fall back to amd64 while arm64 is short of capacity;
     * {@code doNotDisrupt} pods carry {@code karpenter.sh/do-not-disrupt: "true"}. Returns the amd64 node.
     */
    static String fallBack(ControllerHarness h, Controller c, List<String> doNotDisrupt) {
        h.cloud.setCapacityShortage("arm", true);
        for (Pod p : ControllerHarness.pods("checkout", 3, "500m", Map.of())) {
            if (doNotDisrupt.contains(p.getMetadata().getName())) {
                p.getMetadata().setAnnotations(Map.of("karpenter.sh/do-not-disrupt", "true"));
            }
            h.client.pods().inNamespace("default").resource(p).create();
        }
        h.closeBatch(c, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("checkout").contains(null));
        assertThat(h.archOfPods("checkout")).containsOnly("amd64");
        Set<String> nodes = h.client.pods().inNamespace("default").list().getItems().stream()
                .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
        assertThat(nodes).hasSize(1);
        // the controller sees the pods bound before the test goes on
        await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c).getInteger("scheduledPods") == 3);
        return nodes.iterator().next();
    }

    /** Once arm64 can take pods again, scan after scan the node is kept for {@code reason}: not cordoned, nothing asked for. */
    private static void staysOnceArm64IsBack(ControllerHarness h, Controller c, String amd, String reason) {
        h.cloud.setCapacityShortage("arm", false);
        h.time.advance(BACKOFF_OVER);
        await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, reason) == 1);
        h.time.advance(SCAN);
        await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, reason) == 1);
        assertThat(moveScaleUps(h)).isEmpty();
        assertThat(h.client.nodes().withName(amd).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(podsOn(h, amd)).hasSize(3);
    }

    static List<Decision> moveScaleUps(ControllerHarness h) {
        return h.decisions.stream().filter(d -> d.action() == Decision.SCALE_UP && d.isMoveToArm64()).toList();
    }

    static int kept(Controller c, String reason) throws Exception {
        return ControllerHarness.status(c).getJsonObject("restores").getJsonObject("keptByReason").getInteger(reason, 0);
    }

    static List<String> podsOn(ControllerHarness h, String node) {
        return h.client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName())).map(p -> p.getMetadata().getName()).toList();
    }
}
