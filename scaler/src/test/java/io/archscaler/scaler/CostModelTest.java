package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CostModelTest {
    private static NodeGroup group(String name, Arch arch, long cpuMillis, long memGi, double price) {
        Resources alloc = new Resources(cpuMillis, memGi << 30, 20L << 30, 29, Map.of());
        return new NodeGroup(name, "simulated", arch, 0, 10, 0, NodeGroup.defaultWeight(arch), "t", price,
                NodeTemplate.forGroup(name, arch, "t", alloc, Map.of(), List.of()));
    }

    @Test
    void arm64NodesArePricedAsTheClosestAmd64GroupForTheAllAmd64Comparison() {
        NodeGroup arm = group("arm", Arch.ARM64, 2000, 8, 0.0816);
        NodeGroup x86 = group("x86", Arch.AMD64, 2000, 8, 0.096);
        NodeGroup bigX86 = group("x86-big", Arch.AMD64, 8000, 32, 0.384);
        CostModel.Cost cost = CostModel.of(List.of(arm, x86, bigX86), Map.of("arm", 3, "x86", 1));
        assertThat(cost.perHourByArch().get(Arch.ARM64)).isCloseTo(3 * 0.0816, within(1e-9));
        assertThat(cost.perHourByArch().get(Arch.AMD64)).isCloseTo(0.096, within(1e-9));
        assertThat(cost.allAmd64PerHour()).isCloseTo(4 * 0.096, within(1e-9));
        assertThat(cost.savingsRatio()).isCloseTo(1 - (3 * 0.0816 + 0.096) / (4 * 0.096), within(1e-9));
    }

    @Test
    void spotShareAndCostSplitCountEachGroupsNodesByItsCapacityType() {
        NodeGroup armSpot = spot(group("arm-spot", Arch.ARM64, 2000, 8, 0.031));
        NodeGroup arm = group("arm", Arch.ARM64, 2000, 8, 0.0816);
        NodeGroup x86 = group("x86", Arch.AMD64, 2000, 8, 0.096);
        Map<String, Integer> nodes = Map.of("arm-spot", 3, "arm", 1, "x86", 2);

        assertThat(CostModel.spotShareByArch(List.of(armSpot, arm, x86), nodes))
                .containsExactlyInAnyOrderEntriesOf(Map.of(Arch.ARM64, 0.75, Arch.AMD64, 0.0));
        Map<CapacityType, Double> cost = CostModel.perHourByCapacityType(List.of(armSpot, arm, x86), nodes);
        assertThat(cost.get(CapacityType.SPOT)).isCloseTo(3 * 0.031, within(1e-9));
        assertThat(cost.get(CapacityType.ON_DEMAND)).isCloseTo(0.0816 + 2 * 0.096, within(1e-9));
        assertThat(CostModel.spotShareByArch(List.of(armSpot), Map.of())).containsEntry(Arch.ARM64, 0.0);
    }

    @Test
    void costSplitByCapacityTypeAndArchListsEveryPairAndSumsToTheCostBySplit() {
        NodeGroup armSpot = spot(group("arm-spot", Arch.ARM64, 2000, 8, 0.031));
        NodeGroup x86Spot = spot(group("x86-spot", Arch.AMD64, 2000, 8, 0.04));
        NodeGroup arm = group("arm", Arch.ARM64, 2000, 8, 0.0816);
        NodeGroup x86 = group("x86", Arch.AMD64, 2000, 8, 0.096);
        List<NodeGroup> groups = List.of(armSpot, x86Spot, arm, x86);
        Map<String, Integer> nodes = Map.of("arm-spot", 3, "x86-spot", 0, "arm", 2);

        Map<CapacityType, Map<Arch, Double>> split = CostModel.perHourByCapacityTypeAndArch(groups, nodes);

        assertThat(split.get(CapacityType.SPOT).get(Arch.ARM64)).isCloseTo(3 * 0.031, within(1e-9));
        assertThat(split.get(CapacityType.SPOT).get(Arch.AMD64)).isZero();
        assertThat(split.get(CapacityType.ON_DEMAND).get(Arch.ARM64)).isCloseTo(2 * 0.0816, within(1e-9));
        // x86 runs no node: its pair is still listed, at 0
        assertThat(split.get(CapacityType.ON_DEMAND)).containsEntry(Arch.AMD64, 0.0);
        Map<CapacityType, Double> byType = CostModel.perHourByCapacityType(groups, nodes);
        assertThat(byType.get(CapacityType.SPOT) + byType.get(CapacityType.ON_DEMAND))
                .isCloseTo(CostModel.of(groups, nodes).perHour(), within(1e-9));
    }

    private static NodeGroup spot(NodeGroup g) {
        return new NodeGroup(g.name(), g.provider(), g.arch(), g.minSize(), g.maxSize(), g.targetSize(), g.weight(),
                g.instanceType(), g.pricePerHour(), g.template(), CapacityType.SPOT);
    }

    @Test
    void anAmd64OnlyClusterSavesNothing() {
        NodeGroup x86 = group("x86", Arch.AMD64, 2000, 8, 0.096);
        CostModel.Cost cost = CostModel.of(List.of(x86), Map.of("x86", 2));
        assertThat(cost.savingsRatio()).isZero();
        assertThat(CostModel.of(List.of(x86), Map.of()).savingsRatio()).isZero();
    }
}
