package io.archscaler.sandbox;

import io.archscaler.sandbox.DemoSnapshot.PodCount;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.cost.OptimalCost;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The demo's summary, as users and scripts read it: the table's lines and the JSON's fields in their order. */
class DemoSummaryTest {

    /**
     * A demo where three of 32 flexible pods fell back to amd64, two amd64 nodes were replaced once
     * arm64 was back, and scale-down removed amd64 nodes first; at the peak two of the four arm64
     * nodes were spot.
     */
    private static DemoSummary summary() {
        DemoSnapshot peak = new DemoSnapshot(new PodCount(37, 37), Map.of("arm64", 4, "amd64", 2), new PodCount(5, 5),
                new PodCount(29, 32), new CostModel.Cost(Map.of(Arch.ARM64, 0.3264, Arch.AMD64, 0.3264), 0.9216),
                split(0.0654, 0.2610, 0.3264));
        DemoSnapshot after = new DemoSnapshot(new PodCount(21, 21), Map.of("arm64", 3, "amd64", 0), new PodCount(5, 5),
                new PodCount(16, 16), new CostModel.Cost(Map.of(Arch.ARM64, 0.2448, Arch.AMD64, 0.0), 0.41),
                split(0.0654, 0.1794, 0));
        DemoSnapshot restored = new DemoSnapshot(new PodCount(37, 37), Map.of("arm64", 5, "amd64", 1),
                new PodCount(5, 5), new PodCount(32, 32),
                new CostModel.Cost(Map.of(Arch.ARM64, 0.408, Arch.AMD64, 0.096), 0.96), split(0.0654, 0.3426, 0.096));
        return new DemoSummary(peak, new DemoSummary.ScaleUps(5, 1, 3),
                new DemoSummary.Timings(12.34567, 30.5, 4.2, 61.25),
                new DemoSummary.ScaleDown(List.of("amd64", "amd64", "arm64"), after),
                new DemoSummary.Restore(2, restored,
                        new OptimalCost.Result(0.48, OptimalCost.Kind.EXACT, Map.of("arm-general", 4, "x86-general", 1),
                                List.of()),
                        new DemoSummary.DuringMoves(new DemoSummary.Waits(4, 0.26, 0, 1.0), 1, 0)));
    }

    /** The demo's groups: arm64 spot, arm64 and amd64 on-demand (no amd64 spot group). */
    private static Map<CapacityType, Map<Arch, Double>> split(double armSpot, double armOnDemand, double amdOnDemand) {
        return Map.of(CapacityType.SPOT, Map.of(Arch.ARM64, armSpot, Arch.AMD64, 0.0),
                CapacityType.ON_DEMAND, Map.of(Arch.ARM64, armOnDemand, Arch.AMD64, amdOnDemand));
    }

    @Test
    void tablePrintsEveryLineOfTheSummary() {
        String expected = """
                Summary
                  pods scheduled         37/37
                  nodes by arch          arm64 4, amd64 2
                  scale-ups              5 requested, 1 failed
                  amd64-locked pods      5/5 on amd64
                  flexible pods          29/32 on arm64, 3 fell back to amd64
                  pending -> scheduled   p50 12.3s, p99 30.5s
                  cost per hour          $0.6528 (all-amd64: $0.9216, 29.2% saved)
                  ahead of the HPA       nodes requested 4.2s before its pods existed
                  scale-downs            3 nodes removed when the load went away (amd64 2, arm64 1; amd64 first)
                  after scale-down       arm64 3, amd64 0 nodes; 21/21 pods scheduled; $0.2448 per hour
                  duration               61.3s
                  restores               2 amd64 nodes removed once their pods moved to arm64
                  after restore          arm64 5, amd64 1 nodes; 37/37 pods scheduled; $0.5040 per hour
                  optimal cost           $0.4800 per hour (exact); after restore 5.0% above it
                  during the moves       4 pods rescheduled, longest pending 0.3s, 0 over the 1.0s registration delay; 0 of 1 PDBs violated
                  peak cost, spot        $0.0654 per hour (arm64 $0.0654, amd64 $0.0000)
                  peak cost, on-demand   $0.5874 per hour (arm64 $0.2610, amd64 $0.3264)
                """.replace("\n", System.lineSeparator());

        assertThat(summary().toTable()).isEqualTo(expected);
    }

    @Test
    void jsonKeepsItsFieldNamesValuesAndOrder() {
        JsonObject json = summary().toJson();

        assertThat(json.fieldNames()).containsExactly("podsTotal", "podsScheduled", "nodesByArch", "scaleUps",
                "failedScaleUps", "fallbacks", "lockedPodsOnAmd64", "lockedPodsTotal", "flexiblePodsOnArm64",
                "flexiblePodsTotal", "costPerHour", "allAmd64CostPerHour", "pendingToScheduledSeconds",
                "aheadOfHpaSeconds", "durationSeconds", "scaleDowns", "scaleDownsByArch", "scaleDownOrder",
                "afterScaleDown", "restores", "afterRestore", "optimalCostPerHour", "optimalCostKind", "duringRestore",
                "costPerHourByCapacityType", "costPerHourByCapacityTypeAndArch");
        assertThat(json.getJsonObject("pendingToScheduledSeconds").fieldNames()).containsExactly("p50", "p99");
        assertThat(json.getJsonObject("scaleDownsByArch").fieldNames()).containsExactly("amd64", "arm64");
        assertThat(json.getJsonObject("afterScaleDown").fieldNames())
                .containsExactly("nodesByArch", "pods", "podsScheduled", "costPerHour");
        assertThat(json.getJsonObject("afterRestore").fieldNames())
                .containsExactly("nodesByArch", "pods", "podsScheduled", "costPerHour");
        assertThat(json.getJsonObject("duringRestore").fieldNames()).containsExactly("podsRescheduled",
                "longestPendingSeconds", "podsPendingOverRegistrationDelay", "registrationDelaySeconds", "pdbsWatched",
                "pdbViolations");
        // JsonObject equality ignores order; the order is pinned above
        assertThat(json).isEqualTo(new JsonObject("""
                {"podsTotal":37,"podsScheduled":37,"nodesByArch":{"arm64":4,"amd64":2},"scaleUps":5,
                 "failedScaleUps":1,"fallbacks":3,"lockedPodsOnAmd64":5,"lockedPodsTotal":5,
                 "flexiblePodsOnArm64":29,"flexiblePodsTotal":32,"costPerHour":0.6528,"allAmd64CostPerHour":0.9216,
                 "pendingToScheduledSeconds":{"p50":12.3457,"p99":30.5},"aheadOfHpaSeconds":4.2,
                 "durationSeconds":61.25,"scaleDowns":3,"scaleDownsByArch":{"amd64":2,"arm64":1},
                 "scaleDownOrder":["amd64","amd64","arm64"],
                 "afterScaleDown":{"nodesByArch":{"arm64":3,"amd64":0},"pods":21,"podsScheduled":21,
                                   "costPerHour":0.2448},
                 "restores":2,
                 "afterRestore":{"nodesByArch":{"arm64":5,"amd64":1},"pods":37,"podsScheduled":37,
                                 "costPerHour":0.504},
                 "optimalCostPerHour":0.48,"optimalCostKind":"exact",
                 "duringRestore":{"podsRescheduled":4,"longestPendingSeconds":0.26,
                                  "podsPendingOverRegistrationDelay":0,"registrationDelaySeconds":1.0,
                                  "pdbsWatched":1,"pdbViolations":0},
                 "costPerHourByCapacityType":{"spot":0.0654,"on-demand":0.5874},
                 "costPerHourByCapacityTypeAndArch":{"spot":{"arm64":0.0654,"amd64":0.0},
                                                     "on-demand":{"arm64":0.261,"amd64":0.3264}}}
                """));
        assertThat(json.getJsonObject("costPerHourByCapacityType").fieldNames()).containsExactly("spot", "on-demand");
        assertThat(json.getJsonObject("costPerHourByCapacityTypeAndArch").getJsonObject("on-demand").fieldNames())
                .containsExactly("arm64", "amd64");
        // the split adds up to the peak's cost
        assertThat(json.getJsonObject("costPerHourByCapacityType").getDouble("spot")
                + json.getJsonObject("costPerHourByCapacityType").getDouble("on-demand"))
                .isCloseTo(json.getDouble("costPerHour"), within(1e-4));
    }

    @Test
    void theSpotInterruptionStepAddsItsLineAndFieldAfterTheMovesBeforeTheCostSplit() {
        DemoSummary s = summary().withSpotInterruption(new DemoSpotInterruption.Result("arm-spot-1", 4.3, true, 3, 0));

        assertThat(s.toTable()).contains("registration delay; 0 of 1 PDBs violated" + System.lineSeparator()
                + "  spot interruption      node arm-spot-1 replaced within the notice in 4 s, 0 pods lost"
                + System.lineSeparator() + "  peak cost, spot ");
        JsonObject json = s.toJson();
        // the fields it had before the cost split came keep their places; the split follows it
        assertThat(List.copyOf(json.fieldNames())).endsWith("duringRestore", "spotInterruption",
                "costPerHourByCapacityType", "costPerHourByCapacityTypeAndArch");
        assertThat(json.getJsonObject("spotInterruption")).isEqualTo(new JsonObject(
                "{\"node\":\"arm-spot-1\",\"replacedWithinNotice\":true,\"seconds\":4.3,\"pods\":3,\"podsLost\":0}"));
        assertThat(json.getJsonObject("spotInterruption").fieldNames()).containsExactly("node",
                "replacedWithinNotice", "seconds", "pods", "podsLost");
        assertThat(summary().withSpotInterruption(new DemoSpotInterruption.Result("arm-spot-2", 130, false, 2, 1))
                .toTable()).contains("node arm-spot-2 replaced NOT within the notice in 130 s, 1 pods lost");
    }

    @Test
    void scaleDownIsAmd64FirstOnlyWhenEveryAmd64NodeWentBeforeAnyArm64Node() {
        assertThat(removed("amd64", "arm64").amd64First()).isTrue();
        assertThat(removed("amd64", "arm64", "amd64").amd64First()).isFalse();
        assertThat(removed("arm64").amd64First()).isFalse();
        assertThat(removed().amd64First()).isFalse();
    }

    private static DemoSummary.ScaleDown removed(String... archs) {
        return new DemoSummary.ScaleDown(List.of(archs), summary().peak());
    }
}
