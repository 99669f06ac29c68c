package io.archscaler.sandbox;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The demo as a user runs it (once for the class), with its progress and JSON summary checked. */
class DemoIT {
    private static StringWriter out;
    private static StringWriter err;
    private static int exit;
    private static JsonObject summary;

    @BeforeAll
    static void runTheDemo() {
        DemoRun run = DemoRun.of("demo", "--http-port", "0", "--speed", "4", "--output", "json");
        exit = run.exit();
        out = run.out();
        err = run.err();
        summary = run.summary();
    }

    @Test
    void demoSchedulesEveryPodWithLockedPodsOnAmd64AndFlexiblePodsOnArm64() {
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("decision: scale-up arm-general").contains("script: burst")
                .contains("FAILED InsufficientCapacity");
        assertThat(summary.getInteger("podsScheduled")).isEqualTo(summary.getInteger("podsTotal")).isEqualTo(37);
        assertThat(summary.getInteger("lockedPodsOnAmd64")).isEqualTo(summary.getInteger("lockedPodsTotal"));
        // web and worker (17 pods) are planned on arm64; the stand-in scheduler may bind a few to free room on
        // the legacy amd64 nodes, as kube-scheduler would. amd64 nodes are only ever asked for the locked
        // pods and, during the arm64 shortage, as a fallback.
        assertThat(summary.getInteger("flexiblePodsOnArm64")).as(out.toString()).isGreaterThanOrEqualTo(20);
        // the reports image exists for amd64 only: the webhook pinned it, and it counts among the locked pods
        assertThat(out.toString()).contains("admission: the placement webhook pinned reports");
        assertThat(summary.getInteger("lockedPodsTotal")).isEqualTo(5);
        // storefront's HPA: nodes were asked for before the HPA created its pods
        assertThat(out.toString()).contains("(ahead of HPA: ");
        assertThat(summary.getDouble("aheadOfHpaSeconds")).isPositive();
        assertThat(summary.getInteger("fallbacks")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("arm64")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(summary.getInteger("scaleUps")).isGreaterThanOrEqualTo(3);
        assertThat(summary.getDouble("costPerHour")).isLessThan(summary.getDouble("allAmd64CostPerHour"));
        assertThat(summary.getJsonObject("pendingToScheduledSeconds").getDouble("p99"))
                .isGreaterThanOrEqualTo(summary.getJsonObject("pendingToScheduledSeconds").getDouble("p50"));
    }

    @Test
    void onceArm64IsBackTheFallbackPodsMoveHomeAtTheCheapestCost() {
        JsonObject afterRestore = summary.getJsonObject("afterRestore");
        JsonObject during = summary.getJsonObject("duringRestore");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("script: arm64 capacity is back")
                .contains("(restore: pods of x86-general-")
                .containsPattern("decision: scale-down x86-general x86-general-[0-9]+ [0-9]+->[0-9]+ "
                        + "\\(restore: node removed");
        // amd64 first still: the fallback amd64 nodes went, moved home, before any arm64 node
        assertThat(out.toString().lines().filter(l -> l.contains("decision: scale-down")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("scale-down x86-general x86-general-"));
        // the fallback amd64 nodes went; the ones the amd64-locked pods need stay
        assertThat(summary.getInteger("restores")).isPositive();
        assertThat(afterRestore.getInteger("podsScheduled")).isEqualTo(afterRestore.getInteger("pods")).isEqualTo(37);
        assertThat(afterRestore.getJsonObject("nodesByArch").getInteger("amd64"))
                .isLessThan(summary.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(afterRestore.getDouble("costPerHour")).isLessThan(summary.getDouble("costPerHour"));
        // issue 17's goals: within 2% of the cheapest placement of the same pods, which is exact here (37 pods)
        assertThat(summary.getString("optimalCostKind")).isEqualTo("exact");
        assertThat(afterRestore.getDouble("costPerHour")).as(out.toString())
                .isGreaterThanOrEqualTo(summary.getDouble("optimalCostPerHour") - 1e-4)
                .isLessThanOrEqualTo(summary.getDouble("optimalCostPerHour") * 1.02);
        // the moved pods found their arm64 room Ready: none waited as long as a node takes to register
        assertThat(during.getInteger("podsRescheduled")).isPositive();
        assertThat(during.getInteger("podsPendingOverRegistrationDelay")).isZero();
        assertThat(during.getDouble("longestPendingSeconds")).isLessThanOrEqualTo(during.getDouble("registrationDelaySeconds"));
        // checkout's budget was counted on every pass of the moves and never fell below minAvailable
        assertThat(during.getInteger("pdbsWatched")).isEqualTo(1);
        assertThat(during.getInteger("pdbViolations")).isZero();
    }

    @Test
    void aSpotNodeGivenASpotInterruptionWarningIsReplacedWithinTheNoticeAndNoPodIsLost() {
        JsonObject spot = summary.getJsonObject("spotInterruption");
        assertThat(exit).as(err.toString()).isZero();
        String node = spot.getString("node");
        // only spot instances get the warning: the node is one of the arm64 spot group's
        assertThat(node).as(out.toString()).startsWith("arm-spot-");
        String fromWarning = out.toString().substring(out.toString().indexOf("script: spot interruption"));
        assertThat(fromWarning).contains("Warning for spot node " + node + " (arm-spot, arm64)")
                .contains("spot interruption warning for " + node)
                .contains(node + " tainted archscaler.io/interrupted=spot_interruption:NoSchedule and cordoned")
                .contains(node + " drained: its " + spot.getInteger("pods") + " pods evicted")
                .contains(node + " gone: its instance left arm-spot with the target one lower");
        assertThat(spot.getBoolean("replacedWithinNotice")).isTrue();
        assertThat(spot.getInteger("pods")).isPositive();
        assertThat(spot.getInteger("podsLost")).isZero();
        assertThat(spot.getDouble("seconds")).isPositive().isLessThan(120.0);
        assertThat(out.toString()).containsPattern("spot interruption +node " + node
                + " replaced within the notice in [0-9]+ s, 0 pods lost");
    }

    @Test
    void flexiblePodsGoToArm64SpotFirstAndThePeakCostSplitsSpotAndOnDemand() {
        JsonObject byType = summary.getJsonObject("costPerHourByCapacityType");
        JsonObject byTypeAndArch = summary.getJsonObject("costPerHourByCapacityTypeAndArch");
        assertThat(exit).as(err.toString()).isZero();
        // arm-spot ranks first (weight 200): the first flexible pods go there; it is capped at 4 nodes
        assertThat(out.toString()).containsPattern("decision: scale-up arm-spot 0->[1-4] for [0-9]+ pods");
        // at the peak: arm-spot's 4 nodes on spot; arm-general and x86-general on-demand; no amd64 spot group
        assertThat(byTypeAndArch.getJsonObject("spot").getDouble("arm64")).isCloseTo(4 * 0.0327, within(1e-4));
        assertThat(byTypeAndArch.getJsonObject("spot").getDouble("amd64")).isZero();
        assertThat(byTypeAndArch.getJsonObject("on-demand").getDouble("arm64")).isPositive();
        assertThat(byTypeAndArch.getJsonObject("on-demand").getDouble("amd64")).isPositive();
        assertThat(byType.getDouble("spot")).isCloseTo(byTypeAndArch.getJsonObject("spot").getDouble("arm64"),
                within(1e-4));
        assertThat(byType.getDouble("spot") + byType.getDouble("on-demand"))
                .isCloseTo(summary.getDouble("costPerHour"), within(2e-4));
        assertThat(out.toString()).contains("peak cost, spot        $0.1308 per hour (arm64 $0.1308, amd64 $0.0000)")
                .contains("peak cost, on-demand");
    }

    @Test
    void whenTheLoadGoesAwayIdleNodesAreRemoved() {
        JsonObject after = summary.getJsonObject("afterScaleDown");
        JsonObject afterRestore = summary.getJsonObject("afterRestore");
        assertThat(exit).as(err.toString()).isZero();
        String fromLoadDrop = out.toString().substring(out.toString().indexOf("script: load goes away"));
        assertThat(fromLoadDrop).containsPattern("\\| unneeded [1-9][0-9]*, removed 0");
        // the bursts' own nodes are empty once they end: they go in the first batch. The fallback amd64 nodes
        // are gone already (restored), so these are arm64 nodes
        assertThat(fromLoadDrop.lines().filter(l -> l.contains("decision: scale-down")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("(empty)"));
        assertThat(summary.getInteger("scaleDowns")).isPositive()
                .isEqualTo(summary.getJsonObject("scaleDownsByArch").getInteger("amd64")
                        + summary.getJsonObject("scaleDownsByArch").getInteger("arm64"));
        assertThat(summary.getJsonObject("scaleDownsByArch").getInteger("arm64")).isPositive();
        int restoredNodes = afterRestore.getJsonObject("nodesByArch").getInteger("arm64")
                + afterRestore.getJsonObject("nodesByArch").getInteger("amd64");
        int nodesAfter = after.getJsonObject("nodesByArch").getInteger("arm64")
                + after.getJsonObject("nodesByArch").getInteger("amd64");
        assertThat(nodesAfter).isEqualTo(restoredNodes - summary.getInteger("scaleDowns"));
        // what is left still runs: web on arm64, the amd64-locked billing pods on amd64
        assertThat(after.getInteger("podsScheduled")).isEqualTo(after.getInteger("pods")).isEqualTo(21);
        assertThat(after.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(after.getDouble("costPerHour")).isLessThan(afterRestore.getDouble("costPerHour"));
    }
}
