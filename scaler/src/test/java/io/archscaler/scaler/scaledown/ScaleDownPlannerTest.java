package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.archscaler.scaler.scaledown.ScaleDownFixtures.T0;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.budget;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.group;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.node;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Scale-down across several nodes: order, shared room, shared budgets, minSize and consolidation. */
class ScaleDownPlannerTest {
    private static final Duration UNNEEDED = Duration.ofMinutes(10);
    private static final ScaleDownRules RULES = new ScaleDownRules(0.5, UNNEEDED, Duration.ofMinutes(10),
            Duration.ofMinutes(3), false, 1);

    @Test
    void amd64NodesThatArm64CanAbsorbGoFirstThenTheRestByEmptinessAndUtilization() {
        List<NodeWithPods> nodes = List.of(
                node("arm-1", "arm", Arch.ARM64).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("web-1").cpu("300m")).build(),
                node("arm-3", "arm", Arch.ARM64).pods(pod("api-1").cpu("1000m")).build(),
                node("arm-4", "arm", Arch.ARM64).pods(pod("api-2").cpu("1000m")).build(),
                node("x86-1", "x86", Arch.AMD64).pods(pod("web-2").cpu("400m")).build(),
                node("x86-2", "x86", Arch.AMD64).build(),
                node("x86-3", "x86", Arch.AMD64).pods(pod("legacy-1").cpu("200m").amd64Only()).build(),
                node("x86-4", "x86", Arch.AMD64).pods(pod("legacy-2").cpu("1000m").amd64Only()).build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 0, 4), group("x86", Arch.AMD64, 0, 4)),
                nodes, List.of());

        // x86-2 (empty) and x86-1 (its pod fits arm64) first; then arm-1 (empty), arm-2, and x86-3 whose
        // amd64-only pod can only go to x86-4
        assertThat(result.removals()).extracting(Removal::node, Removal::kind).containsExactly(
                tuple("x86-2", Removal.Kind.EMPTY),
                tuple("x86-1", Removal.Kind.UNDERUTILIZED),
                tuple("arm-1", Removal.Kind.EMPTY),
                tuple("x86-3", Removal.Kind.UNDERUTILIZED),
                tuple("arm-2", Removal.Kind.UNDERUTILIZED));
        assertThat(result.removals().get(1).reason()).contains("fits arm64 room");
        assertThat(result.scaleDowns()).extracting(s -> s.nodeGroup() + "/" + s.node())
                .startsWith("x86/x86-2", "x86/x86-1");
    }

    @Test
    void twoNodesDoNotCountOnTheSameFreeRoom() {
        List<NodeWithPods> nodes = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("web-1").cpu("700m")).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("web-2").cpu("700m")).build(),
                node("arm-3", "arm", Arch.ARM64).pods(pod("api-1").cpu("1200m")).build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 0, 3)), nodes, List.of());

        assertThat(result.removals()).extracting(Removal::node).containsExactly("arm-1");
        assertThat(result.unremovable()).filteredOn(u -> u.node().equals("arm-2")).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo(UnremovableReason.NO_PLACE_TO_MOVE_PODS));
        assertThat(result.unneeded()).extracting(Candidate::node).containsExactly("arm-1", "arm-2");
    }

    @Test
    void podsPlacedOnANodeThatIsRemovedLaterMustMoveAgain() {
        // arm-1's pod is placed on arm-2 first (first fit); removing arm-2 then moves two pods to arm-3
        List<NodeWithPods> roomForTwo = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("web-1").cpu("400m")).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("web-2").cpu("400m")).build(),
                node("arm-3", "arm", Arch.ARM64).pods(pod("api-1").cpu("1100m")).build());
        assertThat(plan(RULES, List.of(group("arm", Arch.ARM64, 0, 3)), roomForTwo, List.of()).removals())
                .extracting(Removal::node).containsExactly("arm-1", "arm-2");

        List<NodeWithPods> roomForOne = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("web-1").cpu("400m")).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("web-2").cpu("400m")).build(),
                node("arm-3", "arm", Arch.ARM64).pods(pod("api-1").cpu("1500m")).build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 0, 3)), roomForOne, List.of());
        assertThat(result.removals()).extracting(Removal::node).containsExactly("arm-1");
        assertThat(result.unremovable()).filteredOn(u -> u.node().equals("arm-2"))
                .extracting(Unremovable::reason).containsExactly(UnremovableReason.NO_PLACE_TO_MOVE_PODS);
    }

    @Test
    void removalsAreCountedPerGroupAgainstMinSize() {
        List<NodeWithPods> nodes = List.of(node("arm-1", "arm", Arch.ARM64).build(),
                node("arm-2", "arm", Arch.ARM64).build(), node("arm-3", "arm", Arch.ARM64).build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 1, 3)), nodes, List.of());

        assertThat(result.removals()).extracting(Removal::node).containsExactly("arm-1", "arm-2");
        assertThat(result.unremovable()).extracting(Unremovable::node, Unremovable::reason)
                .containsExactly(tuple("arm-3", UnremovableReason.MIN_SIZE_REACHED));
    }

    @Test
    void aBudgetIsDrawnDownAcrossNodes() {
        List<NodeWithPods> nodes = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("web-1").cpu("300m")).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("web-2").cpu("300m")).build(),
                node("arm-3", "arm", Arch.ARM64).pods(pod("api-1").cpu("1100m").label("app", "api")).build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 0, 3)), nodes,
                List.of(budget("default", "web", Map.of("app", "web"), 1)));

        assertThat(result.removals()).extracting(Removal::node).containsExactly("arm-1");
        assertThat(result.unremovable()).filteredOn(u -> u.node().equals("arm-2")).singleElement()
                .satisfies(u -> {
                    assertThat(u.reason()).isEqualTo(UnremovableReason.NOT_ENOUGH_PDB);
                    assertThat(u.detail()).contains("default/web allows 0 more disruptions");
                });
    }

    @Test
    void withoutConsolidateABusyAmd64NodeStays() {
        ScaleDownResult result = plan(RULES, consolidationGroups(), consolidationNodes(), List.of());
        assertThat(result.removals()).isEmpty();
        assertThat(result.unremovable()).filteredOn(u -> u.node().startsWith("x86"))
                .extracting(Unremovable::reason).containsOnly(UnremovableReason.NOT_UNDERUTILIZED);
    }

    @Test
    void consolidateDrainsABusyAmd64NodeWhosePodsFitFreeArm64RoomWithinTheBudget() {
        ScaleDownRules consolidate = new ScaleDownRules(0.5, UNNEEDED, Duration.ofMinutes(10), Duration.ofMinutes(3),
                true, 1);
        ScaleDownResult result = plan(consolidate, consolidationGroups(), consolidationNodes(), List.of());

        // x86-1 and x86-2 both fit the free arm64 room on their own, but the budget allows one drain;
        // x86-3's pod is amd64-only, so it stays
        assertThat(result.removals()).extracting(Removal::node, Removal::kind)
                .containsExactly(tuple("x86-1", Removal.Kind.CONSOLIDATION));
        assertThat(result.removals().get(0).reason()).startsWith("consolidation to arm64");
        assertThat(result.unremovable()).extracting(Unremovable::node, Unremovable::reason).contains(
                tuple("x86-2", UnremovableReason.DISRUPTION_BUDGET_REACHED),
                tuple("x86-3", UnremovableReason.NOT_UNDERUTILIZED));
    }

    @Test
    void consolidationOnlyMovesPodsToArm64() {
        ScaleDownRules consolidate = new ScaleDownRules(0.5, UNNEEDED, Duration.ofMinutes(10), Duration.ofMinutes(3),
                true, 5);
        // plenty of amd64 room, no arm64 room
        List<NodeWithPods> nodes = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1800m")).build(),
                node("x86-1", "x86", Arch.AMD64).pods(pod("web-1").cpu("1200m")).build(),
                node("x86-2", "x86", Arch.AMD64).pods(pod("db-1").cpu("1200m").amd64Only()).build());
        ScaleDownResult result = plan(consolidate, consolidationGroups(), nodes, List.of());
        assertThat(result.removals()).isEmpty();
        assertThat(result.unremovable()).filteredOn(u -> u.node().equals("x86-1")).singleElement()
                .satisfies(u -> assertThat(u.detail()).contains("do not all fit free arm64 room"));
    }

    @Test
    void nodesBeingDeletedAreNeitherCandidatesNorDestinations() {
        List<NodeWithPods> nodes = List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("web-1").cpu("400m")).build(),
                node("arm-2", "arm", Arch.ARM64).beingDeleted().build());
        ScaleDownResult result = plan(RULES, List.of(group("arm", Arch.ARM64, 0, 2)), nodes, List.of());
        assertThat(result.removals()).isEmpty();
        assertThat(result.unremovable()).extracting(Unremovable::node, Unremovable::reason)
                .containsExactly(tuple("arm-1", UnremovableReason.NO_PLACE_TO_MOVE_PODS));
    }

    @Test
    void aNodeIsRemovedOnlyAfterStayingUnneededForUnneededTime() {
        MutableClock clock = new MutableClock(T0);
        UnneededTracker tracker = new UnneededTracker(clock);
        ScaleDownPlanner planner = new ScaleDownPlanner(RULES);
        ScaleDownInput idle = input(List.of(group("arm", Arch.ARM64, 0, 2)),
                List.of(node("arm-1", "arm", Arch.ARM64).build(),
                        node("arm-2", "arm", Arch.ARM64).pods(pod("api-1").cpu("1500m")).build()), List.of());
        ScaleDownInput busy = input(List.of(group("arm", Arch.ARM64, 0, 2)),
                List.of(node("arm-1", "arm", Arch.ARM64).pods(pod("api-2").cpu("1500m")).build(),
                        node("arm-2", "arm", Arch.ARM64).pods(pod("api-1").cpu("1500m")).build()), List.of());

        assertThat(planner.plan(idle, tracker, clock.instant()).removals()).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        planner.plan(busy, tracker, clock.instant());
        clock.advance(Duration.ofMinutes(6));
        // unneeded again only since now: the 12 minutes do not add up
        assertThat(planner.plan(idle, tracker, clock.instant()).removals()).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(planner.plan(idle, tracker, clock.instant()).removals()).extracting(Removal::node)
                .containsExactly("arm-1");
    }

    @Test
    void theSameInputInAnyOrderGivesTheSamePlan() {
        List<NodeWithPods> nodes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String cpu = (i * 150 % 1300 + 100) + "m";
            nodes.add(node("arm-" + i, "arm", Arch.ARM64).pods(pod("web-" + i).cpu(cpu)).build());
            nodes.add(node("x86-" + i, "x86", Arch.AMD64).pods(pod("job-" + i).cpu(cpu)).build());
        }
        List<NodeGroup> groups = List.of(group("arm", Arch.ARM64, 2, 12), group("x86", Arch.AMD64, 1, 12));
        ScaleDownResult expected = plan(RULES, groups, nodes, List.of());
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            List<NodeWithPods> shuffled = new ArrayList<>(nodes);
            Collections.shuffle(shuffled, random);
            assertThat(plan(RULES, groups, shuffled, List.of())).isEqualTo(expected);
        }
        assertThat(expected.removals()).isNotEmpty();
    }

    private static List<NodeGroup> consolidationGroups() {
        return List.of(group("arm", Arch.ARM64, 0, 2), group("x86", Arch.AMD64, 0, 3));
    }

    /** Busy amd64 nodes (60% cpu) and two half-full arm64 nodes with 1000m free each. */
    private static List<NodeWithPods> consolidationNodes() {
        return List.of(
                node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1000m")).build(),
                node("arm-2", "arm", Arch.ARM64).pods(pod("api-2").cpu("1000m")).build(),
                node("x86-1", "x86", Arch.AMD64).pods(pod("web-1").cpu("600m"), pod("web-2").cpu("600m")).build(),
                node("x86-2", "x86", Arch.AMD64).pods(pod("web-3").cpu("600m"), pod("web-4").cpu("600m")).build(),
                node("x86-3", "x86", Arch.AMD64).pods(pod("db-1").cpu("1200m").amd64Only()).build());
    }

    private static ScaleDownInput input(List<NodeGroup> groups, List<NodeWithPods> nodes, List<DisruptionBudget> budgets) {
        return new ScaleDownInput(groups, nodes, budgets, Map.of(), Map.of());
    }

    /** Plans as if every node had looked the same for unneededTime. */
    private static ScaleDownResult plan(ScaleDownRules rules, List<NodeGroup> groups, List<NodeWithPods> nodes,
                                        List<DisruptionBudget> budgets) {
        MutableClock clock = new MutableClock(T0.minus(UNNEEDED));
        UnneededTracker tracker = new UnneededTracker(clock);
        ScaleDownPlanner planner = new ScaleDownPlanner(rules);
        ScaleDownInput in = input(groups, nodes, budgets);
        planner.track(in, tracker);
        clock.advance(UNNEEDED);
        return planner.plan(in, tracker, clock.instant());
    }
}
