package io.archscaler.sandbox;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code demo --control-plane} as a user runs it (once for the class), on the binaries
 * {@code tools/control-plane/install} and {@code tools/prometheus-adapter/install} built (named by
 * {@code -Darchscaler.controlPlane.bin} and {@code -Darchscaler.prometheusAdapter.bin}, as
 * {@code tools/test} passes them): the plain demo's invariants hold when kube-scheduler binds the
 * pods, the ReplicaSet controller makes them, kube-apiserver calls the webhook and the real HPA
 * controller scales storefront.
 */
class DemoControlPlaneIT {
    private static StringWriter out;
    private static StringWriter err;
    private static int exit;
    private static JsonObject summary;

    @BeforeAll
    static void runTheDemo() {
        DemoRun run = DemoRun.of("demo", "--control-plane", "--http-port", "0", "--speed", "1", "--output", "json");
        System.out.printf("DemoControlPlaneIT: the demo took %.1f s%n%s", run.seconds(), run.out());
        exit = run.exit();
        out = run.out();
        err = run.err();
        summary = run.summary();
    }

    @Test
    void theRealSchedulerBindsEveryPodWithLockedPodsOnAmd64AndFlexiblePodsMostlyOnArm64() {
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sandbox up: kube-apiserver https://127.0.0.1:")
                .contains("decision: scale-up arm-general").contains("FAILED InsufficientCapacity")
                // kube-apiserver called the webhook for the ReplicaSet controller's pods
                .contains("admission: the placement webhook pinned reports");
        // 33 pods of the script, and storefront's 4 to 8 as far as the HPA had gone when all were bound
        assertThat(summary.getInteger("podsScheduled")).isEqualTo(summary.getInteger("podsTotal"));
        assertThat(summary.getInteger("podsTotal")).isBetween(34, 37);
        assertThat(summary.getInteger("lockedPodsOnAmd64")).isEqualTo(summary.getInteger("lockedPodsTotal")).isEqualTo(5);
        // kube-scheduler spreads flexible pods over any node with room, the legacy amd64 ones too; the plan puts them
        // on arm64, and on amd64 only during the shortage
        assertThat(summary.getInteger("flexiblePodsOnArm64") * 2).as(out.toString())
                .isGreaterThan(summary.getInteger("flexiblePodsTotal"));
        assertThat(summary.getInteger("fallbacks")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("arm64")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(summary.getInteger("scaleUps")).isGreaterThanOrEqualTo(3);
        assertThat(summary.getDouble("costPerHour")).isLessThan(summary.getDouble("allAmd64CostPerHour"));
        // arm-spot (spot, ranked first) ran nodes at the peak; the split adds up to the peak's cost
        JsonObject byType = summary.getJsonObject("costPerHourByCapacityType");
        assertThat(byType.getDouble("spot")).isPositive();
        assertThat(byType.getDouble("spot") + byType.getDouble("on-demand"))
                .isCloseTo(summary.getDouble("costPerHour"), within(2e-4));
        JsonObject waits = summary.getJsonObject("pendingToScheduledSeconds");
        assertThat(waits.getDouble("p50")).isPositive();
        assertThat(waits.getDouble("p99")).isGreaterThanOrEqualTo(waits.getDouble("p50"));
    }

    @Test
    void theRealHpaControllerScaledStorefrontAndNodesItsPodsNeededWereAskedForAheadOfIt() {
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("HPA step: the real chain").contains("the real HPA controller scaled storefront from 4 to ");
        // kube-scheduler may have spread earlier pods so that the HPA's new pods find room on nodes already there
        // (flexible pods on the amd64 nodes, say): then no node is asked for ahead of it, and the lead is 0
        if (out.toString().contains("(ahead of HPA: ")) {
            assertThat(summary.getDouble("aheadOfHpaSeconds")).as(out.toString()).isPositive();
        } else {
            assertThat(summary.getDouble("aheadOfHpaSeconds")).as(out.toString()).isZero();
        }
    }

    @Test
    void aSpotInterruptedSpotNodeIsReplacedWithinTheNoticeWithTheReplicaSetControllerRemakingItsPods() {
        JsonObject spot = summary.getJsonObject("spotInterruption");
        assertThat(exit).as(err.toString()).isZero();
        String node = spot.getString("node");
        assertThat(node).as(out.toString()).startsWith("arm-spot-");
        assertThat(out.toString()).contains(node + " tainted archscaler.io/interrupted=spot_interruption:NoSchedule")
                .contains(node + " gone: its instance left arm-spot with the target one lower");
        assertThat(spot.getBoolean("replacedWithinNotice")).as(out.toString()).isTrue();
        assertThat(spot.getInteger("pods")).isPositive();
        assertThat(spot.getInteger("podsLost")).isZero();
    }

    @Test
    void onceArm64IsBackMovesKeepEveryPodRunningWithinItsBudget() {
        JsonObject afterRestore = summary.getJsonObject("afterRestore");
        JsonObject during = summary.getJsonObject("duringRestore");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("script: arm64 capacity is back");
        // kube-scheduler may have put amd64-locked pods on a fallback node, which then stays: how many nodes move
        // depends on its spreading, so only what a move must keep is asserted
        assertThat(afterRestore.getInteger("podsScheduled")).isEqualTo(afterRestore.getInteger("pods"));
        // arm-general is trusted again (backoff over, offering mark gone) 20 s after the shortage, within the step:
        // the fallback nodes hold only flexible pods, so at least one moves, and the cluster costs less than at its peak
        assertThat(summary.getInteger("restores")).as(out.toString()).isPositive();
        assertThat(out.toString()).containsPattern(
                "decision: scale-down x86-general x86-general-[0-9]+ [0-9]+->[0-9]+ \\(restore: node removed");
        assertThat(afterRestore.getJsonObject("nodesByArch").getInteger("amd64"))
                .isLessThan(summary.getJsonObject("nodesByArch").getInteger("amd64"));
        assertThat(afterRestore.getDouble("costPerHour")).isLessThan(summary.getDouble("costPerHour"));
        // the real disruption controller's counts of checkout's budget never fell below minAvailable
        assertThat(during.getInteger("pdbViolations")).as(out.toString()).isZero();
        assertThat(summary.getDouble("optimalCostPerHour")).isPositive()
                .isLessThanOrEqualTo(afterRestore.getDouble("costPerHour") + 1e-4);
    }

    @Test
    void whenTheLoadGoesAwayIdleNodesAreRemoved() {
        JsonObject after = summary.getJsonObject("afterScaleDown");
        JsonObject afterRestore = summary.getJsonObject("afterRestore");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("script: load goes away");
        assertThat(summary.getInteger("scaleDowns")).isPositive()
                .isEqualTo(summary.getJsonObject("scaleDownsByArch").getInteger("amd64")
                        + summary.getJsonObject("scaleDownsByArch").getInteger("arm64"));
        int restoredNodes = afterRestore.getJsonObject("nodesByArch").getInteger("arm64")
                + afterRestore.getJsonObject("nodesByArch").getInteger("amd64");
        int nodesAfter = after.getJsonObject("nodesByArch").getInteger("arm64")
                + after.getJsonObject("nodesByArch").getInteger("amd64");
        // the moves were done in their step: scale-down removes what they left
        assertThat(nodesAfter).as(out.toString()).isEqualTo(restoredNodes - summary.getInteger("scaleDowns"));
        // the 16 pods of the bursts are gone; what is left still runs, the amd64-locked pods on amd64
        assertThat(after.getInteger("podsScheduled")).isEqualTo(after.getInteger("pods"));
        assertThat(after.getInteger("pods")).isBetween(18, 21);
        assertThat(after.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(after.getDouble("costPerHour")).isLessThan(afterRestore.getDouble("costPerHour"));
    }
}
