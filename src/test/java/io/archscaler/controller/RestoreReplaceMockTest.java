package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.archscaler.controller.RestoreMockTest.SCAN;
import static io.archscaler.controller.RestoreMockTest.kept;
import static io.archscaler.controller.RestoreMockTest.moveScaleUps;
import static io.archscaler.controller.RestoreMockTest.podsOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Replace toward arm64 outside any fallback: amd64 is weighted up, so Archscaler itself puts the
 * pods on an amd64 node, though arm64 (m7g.large, $0.0816/h) costs less than amd64 (m6i.large,
 * $0.096/h). With {@code scaleDown.consolidate: true} the node is replaced by a new arm64 node;
 * without, it stays, kept as {@code Amd64Preferred}.
 */
class RestoreReplaceMockTest {
    private static final double ARM_PRICE = 0.0816;
    private static final double X86_PRICE = 0.096;

    @Test
    void withConsolidateAnAmd64NodeThatWasNeverAFallbackIsReplacedByACheaperArm64Node() throws Exception {
        try (ControllerHarness h = new ControllerHarness(amd64WeightedUp(true))) {
            Controller c = h.startController("c0");
            String amd = podsOnAmd64(h, c);

            h.time.advance(SCAN);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.client.nodes().withName(amd).get() == null);

            assertThat(moveScaleUps(h)).singleElement().satisfies(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.reason()).isEqualTo("replace: pods of " + amd + " to arm64");
            });
            assertThat(h.decisions).filteredOn(d -> d.action() == Decision.SCALE_DOWN).singleElement().satisfies(d -> {
                assertThat(d.node()).isEqualTo(amd);
                assertThat(d.outcome()).isEqualTo(Decision.SUCCEEDED);
                assertThat(d.reason()).startsWith("replace: node removed, its pods moved to arm64 (arm 0->1); saving $0.0144/h");
            });
            assertThat(h.client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo(amd);
                assertThat(e.getReason()).isEqualTo("Replace");
            });
            String metrics = ControllerHarness.metrics(c);
            assertThat(metrics).contains("archscaler_restores_total{outcome=\"moved\",reason=\"replace\"} 1.0");
            assertThat(metrics).contains("archscaler_restores_total{outcome=\"moved\",reason=\"restore\"} 0.0");
            JsonObject last = ControllerHarness.status(c).getJsonObject("restores").getJsonArray("last").getJsonObject(0);
            assertThat(last.getString("reason")).isEqualTo("replace");
            assertThat(last.getDouble("savingPerHour")).isCloseTo(X86_PRICE - ARM_PRICE, offset(1e-9));
        }
    }

    @Test
    void withoutConsolidateTheAmd64NodeTheRankingPrefersStays() throws Exception {
        try (ControllerHarness h = new ControllerHarness(amd64WeightedUp(false))) {
            Controller c = h.startController("c0");
            String amd = podsOnAmd64(h, c);

            for (int i = 0; i < 3; i++) {
                h.time.advance(SCAN);
                await().atMost(Duration.ofSeconds(10)).until(() -> kept(c, "Amd64Preferred") == 1);
            }

            assertThat(moveScaleUps(h)).isEmpty();
            assertThat(h.client.nodes().withName(amd).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            assertThat(podsOn(h, amd)).hasSize(3);
            assertThat(ControllerHarness.status(c).getJsonObject("restores").getJsonArray("inProgress")).isEmpty();
        }
    }

    /** amd64 weighted above arm64 (200 against 100), each at its catalog price. */
    private static ControllerHarness.Setup amd64WeightedUp(boolean consolidate) {
        return new ControllerHarness.Setup().arm(100, ARM_PRICE).x86(200, X86_PRICE)
                .extraYaml("scaleDown: {maxGracefulTermination: 2s, consolidate: " + consolidate + "}");
    }

    /** Three flexible 500m pods, placed by the ranking on one amd64 node. Returns it. */
    private static String podsOnAmd64(ControllerHarness h, Controller c) {
        h.createPods("checkout", 3, "500m", Map.of());
        h.closeBatch(c, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("checkout").contains(null));
        assertThat(h.archOfPods("checkout")).containsOnly("amd64");
        assertThat(h.decisions).noneMatch(d -> d.outcome() == Decision.FAILED);
        Set<String> nodes = h.client.pods().inNamespace("default").list().getItems().stream()
                .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
        assertThat(nodes).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.status(c).getInteger("scheduledPods") == 3);
        return List.copyOf(nodes).get(0);
    }
}
