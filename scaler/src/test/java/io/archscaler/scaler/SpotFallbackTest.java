package io.archscaler.scaler;

import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.FallbackCause;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Offering;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.state.Offerings;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static io.archscaler.scaler.model.CapacityType.ON_DEMAND;
import static io.archscaler.scaler.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spot fallback order with the default weights: other spot types of the same arch, then the
 * other arch's spot for pods that may cross, then on-demand; arch-locked pods never cross. The
 * offerings are marked through {@link Offerings}, as the controller marks them after capacity errors.
 */
class SpotFallbackTest {
    private static final Offering M6G_SPOT = new Offering("m6g.large", null, SPOT, ARM64);
    private static final Offering C6G_SPOT = new Offering("c6g.xlarge", null, SPOT, ARM64);
    private static final Offering M5_SPOT = new Offering("m5.large", null, SPOT, AMD64);
    private static final Offering M6G_SPOT_ZONE_A = new Offering("m6g.large", "us-west-2a", SPOT, ARM64);

    private static Fixtures.SnapshotBuilder cluster() {
        return snapshot().groups(
                group("arm-spot", ARM64).spot(),
                group("arm-spot-c6g", ARM64).spot().instanceType("c6g.xlarge").weight(190),
                group("x86-spot", AMD64).spot(),
                group("arm-od", ARM64),
                group("x86-od", AMD64));
    }

    static Stream<Arguments> fallbackOrder() {
        List<Offering> none = List.of();
        List<Offering> armSpot = List.of(M6G_SPOT, C6G_SPOT);
        List<Offering> allSpot = List.of(M6G_SPOT, C6G_SPOT, M5_SPOT);
        return Stream.of(
                Arguments.of("nothing out", none, "arm-spot", "arm-spot", "x86-spot"),
                Arguments.of("m6g spot out: another arm64 spot type", List.of(M6G_SPOT),
                        "arm-spot-c6g", "arm-spot-c6g", "x86-spot"),
                Arguments.of("m6g spot out in one zone only: the group spread over zones stays",
                        List.of(M6G_SPOT_ZONE_A), "arm-spot", "arm-spot", "x86-spot"),
                Arguments.of("arm64 spot dry: flexible pods to amd64 spot, arm64-locked to arm64 on-demand", armSpot,
                        "x86-spot", "arm-od", "x86-spot"),
                Arguments.of("amd64 spot dry: amd64-locked to amd64 on-demand, the rest unchanged", List.of(M5_SPOT),
                        "arm-spot", "arm-spot", "x86-od"),
                Arguments.of("both arches' spot dry: on-demand, arm64 first for flexible pods", allSpot,
                        "arm-od", "arm-od", "x86-od"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbackOrder")
    void podsFallBackInTheDocumentedOrder(String name, List<Offering> out, String flexibleTo, String armLockedTo,
                                          String amdLockedTo) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Offerings offerings = new Offerings(clock, Duration.ofMinutes(3));
        out.forEach(o -> offerings.unavailable(o, "InsufficientInstanceCapacity"));
        Fixtures.SnapshotBuilder s = cluster().pods(
                pod("flexible"),
                pod("arm-locked").selector("kubernetes.io/arch", "arm64"),
                pod("amd-locked").images(AMD64));
        ScalePlan plan = new Planner().plan(s.offeringOut(offerings.unavailableGroups(s.groups())).build());

        assertThat(groupOf(plan)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "default/flexible", flexibleTo, "default/arm-locked", armLockedTo, "default/amd-locked", amdLockedTo));
        assertThat(plan.unschedulable()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbackOrder")
    void theMarksExpireAndTheFirstChoiceComesBack(String name, List<Offering> out, String flexibleTo,
                                                   String armLockedTo, String amdLockedTo) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Offerings offerings = new Offerings(clock, Duration.ofMinutes(3));
        out.forEach(o -> offerings.unavailable(o, "InsufficientInstanceCapacity"));
        clock.advance(Duration.ofMinutes(3));
        Fixtures.SnapshotBuilder s = cluster().pods(pod("flexible"), pod("amd-locked").images(AMD64));
        ScalePlan plan = new Planner().plan(s.offeringOut(offerings.unavailableGroups(s.groups())).build());

        assertThat(groupOf(plan)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "default/flexible", "arm-spot", "default/amd-locked", "x86-spot"));
    }

    @Test
    void flexiblePodsOnAmd64SpotSayTheArm64OfferingsWereOut() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Offerings offerings = new Offerings(clock, Duration.ofMinutes(3));
        offerings.unavailable(M6G_SPOT, "InsufficientInstanceCapacity");
        offerings.unavailable(C6G_SPOT, "UnfulfillableCapacity");
        Fixtures.SnapshotBuilder s = cluster().pods(pod("flexible"));
        ScalePlan plan = new Planner().plan(s.offeringOut(offerings.unavailableGroups(s.groups())).build());

        ScaleUp up = plan.scaleUps().get(0);
        assertThat(up.nodeGroup()).isEqualTo("x86-spot");
        assertThat(up.fallback().cause()).isEqualTo(FallbackCause.OFFERING_UNAVAILABLE);
        assertThat(up.fallback().reason())
                .contains("arm-spot offering m6g.large/*/spot unavailable after a capacity error")
                .contains("arm-spot-c6g offering c6g.xlarge/*/spot unavailable after a capacity error");
    }

    @Test
    void aPodKeptOffSpotByCapacityTypeAffinityOnlyFitsOnDemandGroups() {
        // the affinity a spot-ratio webhook would add: NotIn spot on Karpenter's and EKS's labels
        Fixtures.SnapshotBuilder s = cluster().pods(pod("beyond-ratio").affinity(Fixtures.term(
                Fixtures.req(CapacityType.LABEL, "NotIn", "spot"), Fixtures.req(CapacityType.EKS_LABEL, "NotIn", "SPOT"))),
                pod("amd-beyond-ratio").images(AMD64).affinity(Fixtures.term(
                        Fixtures.req(CapacityType.LABEL, "NotIn", "spot"))));
        ScalePlan plan = new Planner().plan(s.build());

        assertThat(groupOf(plan)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "default/beyond-ratio", "arm-od", "default/amd-beyond-ratio", "x86-od"));
        assertThat(plan.scaleUps()).extracting(ScaleUp::capacityType).containsOnly(ON_DEMAND);
    }

    @Test
    void defaultWeightsPutArm64SpotFirstAndAmd64OnDemandLast() {
        assertThat(List.of(NodeGroup.defaultWeight(ARM64, SPOT), NodeGroup.defaultWeight(AMD64, SPOT),
                NodeGroup.defaultWeight(ARM64, ON_DEMAND), NodeGroup.defaultWeight(AMD64, ON_DEMAND)))
                .containsExactly(200, 150, 100, 10);
    }

    private static Map<String, String> groupOf(ScalePlan plan) {
        Map<String, String> out = new TreeMap<>();
        for (ScaleUp up : plan.scaleUps()) {
            up.pods().forEach(p -> out.put(p, up.nodeGroup()));
        }
        return out;
    }
}
