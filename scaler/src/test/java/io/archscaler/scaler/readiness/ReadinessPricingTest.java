package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pricing rule on an EKS-like set of groups. With half of a price to cpu and half to memory,
 * a pod of 500m and 1Gi costs per hour: x86-general (m5.large, 2 cpu, 8Gi, $0.096) 0.012 + 0.006 =
 * $0.018; x86-large (4 cpu, 16Gi, $0.20) 0.0125 + 0.00625 = $0.01875; arm-general (m7g.large,
 * 2 cpu, 8Gi, $0.0816) and arm-large (4 cpu, 16Gi, $0.1632) 0.0102 + 0.0051 = $0.0153.
 */
class ReadinessPricingTest {
    private static final NodeGroup ARM = group("arm-general", Arch.ARM64).capacity("2", "8Gi", 29).price(0.0816).weight(100).build();
    private static final NodeGroup ARM_LARGE = group("arm-large", Arch.ARM64).capacity("4", "16Gi", 58).price(0.1632).weight(100).build();
    private static final NodeGroup X86 = group("x86-general", Arch.AMD64).capacity("2", "8Gi", 29).price(0.096).weight(10).build();
    private static final NodeGroup X86_LARGE = group("x86-large", Arch.AMD64).capacity("4", "16Gi", 58).price(0.20).weight(10).build();
    private static final List<NodeGroup> GROUPS = List.of(ARM, ARM_LARGE, X86, X86_LARGE);
    private static final double X86_POD_MONTH = 0.018 * 730;
    private static final double X86_LARGE_POD_MONTH = 0.01875 * 730;
    private static final double ARM_POD_MONTH = 0.0153 * 730;

    private static Workload web(String cpu, PodPlacement... placements) {
        return new Workload(new WorkloadId("shop", "Deployment", "web"), pod("web").cpu(cpu).memory("1Gi").build(),
                List.of(), List.of(placements));
    }

    private static PodPlacement on(String group, Arch arch, int pods) {
        return new PodPlacement(group, arch, pods);
    }

    static Stream<Arguments> priced() {
        return Stream.of(
                Arguments.of("pods on an amd64 group are priced there", web("500m", on("x86-general", Arch.AMD64, 3)),
                        3, List.of("x86-general"), 3 * X86_POD_MONTH, "arm-general", 3 * ARM_POD_MONTH),
                Arguments.of("pods on arm64 already do not move", web("500m", on("arm-general", Arch.ARM64, 1),
                        on("x86-large", Arch.AMD64, 2)), 2, List.of("x86-large"), 2 * X86_LARGE_POD_MONTH, "arm-general",
                        2 * ARM_POD_MONTH),
                Arguments.of("pods not scheduled are priced at the cheapest amd64 group",
                        web("500m", on(null, null, 2)), 2, List.of("x86-general"), 2 * X86_POD_MONTH, "arm-general",
                        2 * ARM_POD_MONTH),
                Arguments.of("pods on an amd64 node of no known group too", web("500m", on(null, Arch.AMD64, 1)),
                        1, List.of("x86-general"), X86_POD_MONTH, "arm-general", ARM_POD_MONTH),
                Arguments.of("each placement at its own group", web("500m", on("x86-large", Arch.AMD64, 1),
                        on("x86-general", Arch.AMD64, 1)), 2, List.of("x86-large", "x86-general"),
                        X86_LARGE_POD_MONTH + X86_POD_MONTH, "arm-general", 2 * ARM_POD_MONTH),
                Arguments.of("a replica too big for arm-general goes to arm-large", web("3", on("x86-large", Arch.AMD64, 1)),
                        1, List.of("x86-large"), (3 * 0.025 + 0.00625) * 730, "arm-large", (3 * 0.0204 + 0.0051) * 730),
                Arguments.of("everything on arm64: nothing to move", web("500m", on("arm-general", Arch.ARM64, 4)),
                        0, List.of(), 0.0, null, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("priced")
    void savingOfAMove(String name, Workload workload, int pods, List<String> amd64Groups, double amd64PerMonth,
                       String arm64Group, double arm64PerMonth) {
        Saving s = new Pricing(GROUPS).saving(workload);

        assertThat(s.priced()).isTrue();
        assertThat(s.pods()).isEqualTo(pods);
        assertThat(s.amd64().groups()).containsExactlyElementsOf(amd64Groups);
        assertThat(s.amd64().perMonth()).isCloseTo(amd64PerMonth, within(1e-9));
        assertThat(s.arm64().groups()).isEqualTo(arm64Group == null ? List.of() : List.of(arm64Group));
        assertThat(s.arm64().perMonth()).isCloseTo(arm64PerMonth, within(1e-9));
        assertThat(s.perMonth()).isCloseTo(amd64PerMonth - arm64PerMonth, within(1e-9));
    }

    static Stream<Arguments> unpriced() {
        NodeGroup armNoPrice = group("arm-spot", Arch.ARM64).capacity("2", "8Gi", 29).price(0).weight(100).build();
        NodeGroup x86NoPrice = group("x86-metal", Arch.AMD64).capacity("2", "8Gi", 29).price(0).build();
        return Stream.of(
                Arguments.of("no arm64 group holds a replica", GROUPS, web("6", on("x86-general", Arch.AMD64, 2)),
                        "no arm64 group holds one replica (6 cpu, 1Gi)"),
                Arguments.of("the arm64 group the planner picks has no price", List.of(armNoPrice, X86),
                        web("500m", on("x86-general", Arch.AMD64, 2)), "arm64 group arm-spot has no price"),
                Arguments.of("no amd64 group has a price", List.of(ARM, x86NoPrice),
                        web("500m", on("x86-metal", Arch.AMD64, 2)), "no amd64 group with a price to compare with"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unpriced")
    void unpricedMovesSayWhy(String name, List<NodeGroup> groups, Workload workload, String why) {
        Saving s = new Pricing(groups).saving(workload);

        assertThat(s.priced()).isFalse();
        assertThat(s.unpriced()).isEqualTo(why);
        assertThat(s.pods()).isEqualTo(2);
        assertThat(s.perMonth()).isZero();
    }

    @Test
    void theArm64GroupIsChosenByWeightBeforePrice() {
        NodeGroup cheapLowWeight = group("arm-cheap", Arch.ARM64).capacity("2", "8Gi", 29).price(0.05).weight(50).build();
        NodeGroup cheapSameWeight = group("arm-cheaper", Arch.ARM64).capacity("2", "8Gi", 29).price(0.06).weight(100).build();

        assertThat(new Pricing(List.of(ARM, cheapLowWeight, X86)).arm64Target(web("500m").template().requests()))
                .map(NodeGroup::name).contains("arm-general");
        assertThat(new Pricing(List.of(ARM, cheapSameWeight, X86)).arm64Target(web("500m").template().requests()))
                .map(NodeGroup::name).contains("arm-cheaper");
    }

    @Test
    void unpricedGroupsAreNamed() {
        NodeGroup noCapacity = group("x86-odd", Arch.AMD64).capacity("0", "0", 0).price(0.1).build();

        assertThat(new Pricing(List.of(ARM, noCapacity)).unpricedGroups()).containsExactly("x86-odd");
    }
}
