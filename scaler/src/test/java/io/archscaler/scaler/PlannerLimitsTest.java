package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

/** Group sizes and cluster limits hold whatever the pods ask for. */
class PlannerLimitsTest {

    private static ScalePlan plan(Fixtures.SnapshotBuilder s) {
        return new Planner().plan(s.build());
    }

    private static int planned(ScalePlan plan) {
        return plan.scaleUps().stream().mapToInt(ScaleUp::delta).sum();
    }

    private static Fixtures.SnapshotBuilder twentyPodsOnAFullCluster() {
        return snapshot().groups(group("arm-general", ARM64).max(100), group("x86-general", AMD64).max(100))
                .nodes(node("ip-1", AMD64).requested("2", "8Gi", 10), node("ip-2", ARM64).requested("2", "8Gi", 10))
                .pods(Fixtures.pods("web", 20, "500m", "512Mi"));
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                // 2 registered nodes; 20 pods need 5 nodes of 2 cpu / 8Gi
                Arguments.of("maxNodesTotal", new ClusterLimits(5, Long.MAX_VALUE, Long.MAX_VALUE), 3,
                        "maxNodesTotal 5 reached"),
                Arguments.of("maxCoresTotal", new ClusterLimits(Long.MAX_VALUE, 9, Long.MAX_VALUE), 2,
                        "maxCoresTotal 9 reached"),
                Arguments.of("maxMemoryBytesTotal", new ClusterLimits(Long.MAX_VALUE, Long.MAX_VALUE, 40L << 30), 3,
                        "maxMemoryBytesTotal 40Gi reached"),
                Arguments.of("no room at all", new ClusterLimits(2, Long.MAX_VALUE, Long.MAX_VALUE), 0,
                        "maxNodesTotal 2 reached"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void clusterLimitsCapTheNodesPlanned(String name, ClusterLimits limits, int expectedNodes, String reason) {
        ScalePlan plan = plan(twentyPodsOnAFullCluster().limits(limits));

        assertThat(planned(plan)).isEqualTo(expectedNodes);
        assertThat(plan.unschedulable()).hasSize(20 - 4 * expectedNodes).allSatisfy(u -> assertThat(u.reason())
                .isEqualTo("no node group can take it: arm-general blocked: " + reason + "; x86-general blocked: "
                        + reason));
    }

    @Test
    void inFlightNodesCountAgainstMaxNodesTotal() {
        ScalePlan plan = plan(snapshot().groups(group("arm-general", ARM64).size(0, 100, 2)).inFlight("arm-general", 2)
                .limits(ClusterLimits.ofNodes(3)).pods(Fixtures.pods("web", 16, "500m", "512Mi")));

        assertThat(plan.onExistingCapacity()).hasSize(8);
        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.from()).isEqualTo(2);
            assertThat(up.to()).isEqualTo(3);
        });
        assertThat(plan.unschedulable()).hasSize(4);
    }

    @Test
    void aGroupNeverGrowsAboveMaxSize() {
        ScalePlan plan = plan(snapshot().groups(group("arm-general", ARM64).size(1, 3, 1))
                .pods(Fixtures.pods("big", 10, "1500m", "1Gi"))
                .pods(Fixtures.pods("small", 10, "250m", "1Gi")));

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.from()).isEqualTo(1);
            assertThat(up.to()).isEqualTo(3);
        });
        assertThat(plan.unschedulable()).isNotEmpty().allSatisfy(u -> assertThat(u.reason())
                .isEqualTo("no node group can take it: arm-general at maxSize 3"));
    }

    @Test
    void aGroupAboveItsMaxSizeIsNotGrown() {
        ScalePlan plan = plan(snapshot().groups(group("arm-general", ARM64).size(0, 4, 6)).pods(pod("a")));

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.unschedulable()).containsExactly(
                new Unschedulable("default/a", "no node group can take it: arm-general at maxSize 4"));
    }

    @Test
    void aScaleUpStartsFromTheTargetSizeAndOnlyGrows() {
        ScalePlan plan = plan(snapshot().groups(group("arm-general", ARM64).size(3, 10, 3)).pods(pod("a")));

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.from()).isEqualTo(3);
            assertThat(up.to()).isEqualTo(4);
            assertThat(up.to()).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(10);
        });
    }

    @Test
    void limitsAlreadyExceededPlanNothing() {
        ScalePlan plan = plan(twentyPodsOnAFullCluster().limits(ClusterLimits.ofNodes(1)));

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.unschedulable()).hasSize(20);
    }
}
