package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

/** How well pods are packed onto new nodes. */
class PlannerPackingTest {

    /**
     * The Cluster Autoscaler's binpacking benchmark: 50,000 pods of 50m and 1,000 of 95m on
     * 1-cpu nodes of 100 pods is cpu-bound, and perfect packing needs 2,595 nodes.
     */
    @Test
    void theClusterAutoscalerBinpackingCaseNeeds2595Nodes() {
        List<PendingPod> pods = new ArrayList<>(Fixtures.pods("small", 50_000, "50m", "100"));
        pods.addAll(Fixtures.pods("large", 1_000, "95m", "190"));
        ScalePlan plan = new Planner().plan(snapshot()
                .groups(group("ng", AMD64).capacity("1000m", "5000Mi", 100).size(0, 3000, 0))
                .nodes(node("small-node", AMD64).allocatable("100m", "100Mi", 10))
                .limits(ClusterLimits.ofNodes(3000))
                .pods(pods).build());

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.delta()).isEqualTo(2595);
            assertThat(up.pods().size() + plan.onExistingCapacity().size()).isEqualTo(51_000);
        });
        assertThat(plan.unschedulable()).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 11, 13})
    void mixedShapesPackWithinFivePercentOfTheLowerBound(long seed) {
        String[][] shapes = {{"250m", "512Mi"}, {"500m", "2Gi"}, {"1", "1Gi"}, {"1500m", "6Gi"}, {"100m", "3Gi"},
                {"2", "512Mi"}, {"750m", "4Gi"}};
        Random random = new Random(seed);
        List<PendingPod> pods = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String[] shape = shapes[random.nextInt(shapes.length)];
            pods.add(Fixtures.pod(String.format("p-%03d", i)).cpu(shape[0]).memory(shape[1]).build());
        }
        Resources perNode = Fixtures.res(Map.of("cpu", "4", "memory", "16Gi", "pods", "58"));
        ScalePlan plan = new Planner().plan(snapshot()
                .groups(group("arm-xlarge", ARM64).capacity("4", "16Gi", 58).max(1000)).pods(pods).build());

        long lowerBound = lowerBound(pods, perNode);
        int planned = plan.scaleUps().stream().mapToInt(ScaleUp::delta).sum();
        assertThat(plan.unschedulable()).isEmpty();
        assertThat(planned).isGreaterThanOrEqualTo((int) lowerBound)
                .isLessThanOrEqualTo((int) Math.floor(lowerBound * 1.05));
    }

    private static long lowerBound(List<PendingPod> pods, Resources perNode) {
        long cpu = pods.stream().mapToLong(p -> p.requests().cpuMillis()).sum();
        long memory = pods.stream().mapToLong(p -> p.requests().memoryBytes()).sum();
        return Math.max(Math.max(ceil(cpu, perNode.cpuMillis()), ceil(memory, perNode.memoryBytes())),
                ceil(pods.size(), perNode.pods()));
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    @Test
    void smallerPodsFillTheGapsLargerOnesLeave() {
        // 1500m pods leave 500m on each 2-cpu node; the 500m pods go there instead of on new nodes
        ScalePlan plan = new Planner().plan(snapshot().groups(group("arm-general", ARM64))
                .pods(Fixtures.pods("big", 4, "1500m", "1Gi")).pods(Fixtures.pods("small", 4, "500m", "1Gi")).build());

        assertThat(plan.scaleUps()).singleElement().extracting(ScaleUp::delta).isEqualTo(4);
    }

    /**
     * One memory-heavy class (1510m / 12352Mi) among cpu-heavier ones: five of it fill a node's
     * memory and strand half its cpu, so filling node after node with it wastes a quarter of the
     * nodes; spread over all nodes it leaves no resource stranded. Cpu-bound, the volume bound is
     * 35 nodes.
     */
    @Test
    void aMemoryHeavyClassIsSpreadOverTheNodesInsteadOfStrandingTheirCpu() {
        String[][] classes = {{"1000m", "4096Mi", "42"}, {"1010m", "1024Mi", "101"}, {"1010m", "2048Mi", "95"},
                {"1020m", "1024Mi", "23"}, {"1030m", "2112Mi", "34"}, {"1510m", "12352Mi", "81"},
                {"2030m", "4160Mi", "39"}, {"790m", "3264Mi", "59"}};
        List<PendingPod> pods = new ArrayList<>();
        long cpu = 0;
        for (int k = 0; k < classes.length; k++) {
            int count = Integer.parseInt(classes[k][2]);
            pods.addAll(Fixtures.pods("c" + k, count, classes[k][0], classes[k][1]));
            cpu += count * Fixtures.res(classes[k][0], classes[k][1]).cpuMillis();
        }
        ScalePlan plan = new Planner().plan(snapshot()
                .groups(group("arm-4xlarge", ARM64).capacity("15765m", "62415Mi", 232).max(1000)).pods(pods).build());

        long lowerBound = ceil(cpu, 15765);
        assertThat(lowerBound).isEqualTo(35);
        assertThat(plan.unschedulable()).isEmpty();
        assertThat(plan.scaleUps()).singleElement().extracting(ScaleUp::delta).satisfies(d ->
                assertThat(d).isGreaterThanOrEqualTo((int) lowerBound).isLessThanOrEqualTo((int) Math.floor(lowerBound * 1.05)));
    }
}
