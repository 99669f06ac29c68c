package io.archscaler.scaler.cost;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cheapest placements worked out by hand, and the bound when the search may not run. */
class OptimalCostTest {
    private static final NodeGroup SMALL = Fixtures.group("small", Arch.ARM64).capacity("2", "8Gi", 29).price(0.10).build();
    private static final NodeGroup LARGE = Fixtures.group("large", Arch.ARM64).capacity("4", "16Gi", 29).price(0.15).build();
    private static final NodeGroup X86 = Fixtures.group("x86", Arch.AMD64).capacity("2", "8Gi", 29).price(0.12).build();

    @Test
    void threePodsOfOneAndAQuarterCpuShareOneLargeNodeRatherThanThreeSmallOnes() {
        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, LARGE), Fixtures.pods("web", 3, "1200m", "1Gi"), List.of());

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.EXACT);
        assertThat(r.perHour()).isCloseTo(0.15, within(1e-9));
        assertThat(r.nodesByGroup()).isEqualTo(Map.of("large", 1));
    }

    @Test
    void amd64OnlyPodsPayForAmd64Nodes() {
        List<PendingPod> pods = new ArrayList<>(Fixtures.pods("web", 2, "900m", "1Gi"));
        pods.add(Fixtures.pod("legacy").cpu("900m").selector(NodeTemplate.ARCH_LABEL, "amd64").build());

        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, X86), pods, List.of());

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.EXACT);
        // the legacy pod's amd64 node has room for one web pod: 0.12 + 0.10, not 0.12 + 0.10 + 0.10
        assertThat(r.perHour()).isCloseTo(0.22, within(1e-9));
        assertThat(r.nodesByGroup()).isEqualTo(Map.of("small", 1, "x86", 1));
    }

    @Test
    void daemonSetPodsAreReservedOnEveryNode() {
        PendingPod agent = Fixtures.pod("agent").cpu("500m").memory("100Mi").owner("DaemonSet/agent").build();

        OptimalCost.Result r = OptimalCost.of(List.of(SMALL), Fixtures.pods("web", 2, "1", "1Gi"), List.of(agent));

        assertThat(r.perHour()).isCloseTo(0.20, within(1e-9));
    }

    @Test
    void minSizeNodesArePaidForAndTakePodsFirst() {
        NodeGroup x86Min = Fixtures.group("x86", Arch.AMD64).size(1, 10, 1).price(0.12).build();

        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, x86Min), Fixtures.pods("web", 2, "900m", "1Gi"), List.of());

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.EXACT);
        assertThat(r.perHour()).isCloseTo(0.12, within(1e-9));
    }

    @Test
    void podsNoGroupFitsAreLeftOutAndNamed() {
        List<PendingPod> pods = List.of(Fixtures.pod("huge").cpu("3").build(), Fixtures.pod("web").build());

        OptimalCost.Result r = OptimalCost.of(List.of(SMALL), pods, List.of());

        assertThat(r.unplaceable()).containsExactly("default/huge");
        assertThat(r.perHour()).isCloseTo(0.10, within(1e-9));
    }

    @Test
    void beyondTheSearchLimitsTheAnswerIsTheStatedLowerBound() {
        List<PendingPod> pods = Fixtures.pods("web", 10, "500m", "1Gi");
        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, LARGE), pods, List.of(), new OptimalCost.Limits(5, 8, 1000));

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.LOWER_BOUND);
        assertThat(r.nodesByGroup()).isEmpty();
        // 5 CPU at the cheapest price per CPU (large: 0.15 / 4)
        assertThat(r.perHour()).isCloseTo(5 * 0.15 / 4, within(1e-9));
        assertThat(r.perHour()).isEqualTo(OptimalCost.lowerBound(List.of(SMALL, LARGE), pods, List.of()));
    }

    @Test
    void aSearchThatRunsOutOfStepsSettlesForTheBound() {
        // two kinds of pods: the search branches over the first before the second, all alike, is counted out
        List<PendingPod> pods = new ArrayList<>(Fixtures.pods("web", 10, "700m", "1Gi"));
        pods.addAll(Fixtures.pods("api", 10, "300m", "1Gi"));
        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, LARGE), pods, List.of(), new OptimalCost.Limits(48, 8, 3));

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.LOWER_BOUND);
    }

    @Test
    void manyReplicasOfOneWorkloadAfterAFewLockedPodsAreSolvedExactly() {
        // the demo's cluster: 32 flexible pods of 500m fit 3 to an arm64 node (1930m allocatable), the
        // 5 amd64-locked pods need two amd64 nodes whose room takes one flexible pod; the per-resource
        // bound (about 10.3 arm64 nodes' worth) could not prove this, the search alone ran out of steps
        NodeGroup arm = Fixtures.group("arm", Arch.ARM64).size(0, 20, 0).capacity("1930m", "7Gi", 29)
                .price(0.0816).build();
        NodeGroup x86 = Fixtures.group("x86", Arch.AMD64).capacity("1930m", "7Gi", 29).price(0.096).build();
        List<PendingPod> pods = new ArrayList<>(Fixtures.pods("web", 32, "500m", "1Gi"));
        for (int i = 0; i < 3; i++) {
            pods.add(Fixtures.pod("billing-" + i).cpu("700m").memory("1Gi").selector(NodeTemplate.ARCH_LABEL, "amd64")
                    .build());
        }
        for (int i = 0; i < 2; i++) {
            pods.add(Fixtures.pod("reports-" + i).cpu("500m").memory("1Gi").selector(NodeTemplate.ARCH_LABEL, "amd64")
                    .build());
        }

        OptimalCost.Result r = OptimalCost.of(List.of(arm, x86), pods, List.of());

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.EXACT);
        assertThat(r.nodesByGroup()).as(r.toString()).isEqualTo(Map.of("arm", 11, "x86", 2));
        assertThat(r.perHour()).isCloseTo(11 * 0.0816 + 2 * 0.096, within(1e-9));
    }

    @Test
    void theExactAnswerMixesGroupsAndIsNeverAboveThePlanners() {
        List<PendingPod> pods = new ArrayList<>(Fixtures.pods("a", 3, "1200m", "1Gi"));
        pods.addAll(Fixtures.pods("b", 2, "700m", "1Gi"));
        ClusterSnapshot s = new ClusterSnapshot(List.of(SMALL, LARGE), List.of(), pods, List.of(), Map.of(), null, null,
                null);
        ScalePlan plan = new Planner().plan(s);
        double plannerCost = plan.scaleUps().stream()
                .mapToDouble(u -> u.delta() * (u.nodeGroup().equals("small") ? 0.10 : 0.15)).sum();

        OptimalCost.Result r = OptimalCost.of(List.of(SMALL, LARGE), pods, List.of());

        assertThat(r.kind()).isEqualTo(OptimalCost.Kind.EXACT);
        assertThat(r.perHour()).isLessThanOrEqualTo(plannerCost + 1e-9);
        // 5 CPU: a large node takes 1.2 + 1.2 + 0.7 + 0.7, a small one the last 1.2
        assertThat(r.perHour()).isCloseTo(0.25, within(1e-9));
    }
}
