package io.archscaler.scaler.restore;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.scaledown.ScaleDownFixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.archscaler.scaler.restore.RestoreCase.ARM_PRICE;
import static io.archscaler.scaler.restore.RestoreCase.X86_PRICE;
import static io.archscaler.scaler.restore.RestorePlannerTableTest.web;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.budget;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.node;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** Several nodes in one plan: room booked once, budgets and PDBs shared, moves in progress respected. */
class RestorePlannerTest {
    private static final RestoreBudget THREE_AT_ONCE = new RestoreBudget(3, 10, Duration.ofHours(1), 0);

    private static ScaleDownFixtures.NodeBuilder amd(String name, String... pods) {
        ScaleDownFixtures.NodeBuilder n = node(name, "x86", Arch.AMD64);
        for (String p : pods) {
            n.pods(web(p));
        }
        return n;
    }

    @Test
    void freeArm64RoomIsBookedByOneMoveOnlyAndTheNextAddsANode() {
        // arm-1 has 1 CPU free: room for exactly one node's two 500m pods
        RestorePlan plan = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1")),
                        amd("amd-1", "a-1", "a-2"), amd("amd-2", "b-1", "b-2"))
                .restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).extracting(Replacement::node, r -> r.capacity().newNodes())
                .containsExactly(tuple("amd-1", 0), tuple("amd-2", 1));
        Replacement first = plan.replacements().get(0);
        assertThat(first.capacity().onExistingRoom()).containsExactly("default/a-1", "default/a-2");
        assertThat(first.savingPerHour()).isCloseTo(X86_PRICE, within(1e-9));
        Replacement second = plan.replacements().get(1);
        assertThat(second.capacity().scaleUps()).singleElement().satisfies(u -> {
            assertThat(u.nodeGroup()).isEqualTo("arm");
            assertThat(u.from()).isEqualTo(1);
            assertThat(u.to()).isEqualTo(2);
            assertThat(u.pods()).containsExactly("default/b-1", "default/b-2");
        });
        assertThat(second.savingPerHour()).isCloseTo(X86_PRICE - ARM_PRICE, within(1e-9));
        assertThat(plan.savingPerHour()).isCloseTo(2 * X86_PRICE - ARM_PRICE, within(1e-9));
    }

    @Test
    void movesThatNeedNewNodesCountTheNodesOfTheMovesBeforeThem() {
        // 1500m each: one node's pods fill one new arm64 node, so each move adds its own
        RestorePlan plan = new RestoreCase()
                .nodes(node("amd-1", "x86", Arch.AMD64).pods(web("a-1").cpu("1500m")),
                        node("amd-2", "x86", Arch.AMD64).pods(web("b-1").cpu("1500m")))
                .restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).flatExtracting(r -> r.capacity().scaleUps())
                .extracting(ScaleUp::nodeGroup, ScaleUp::from, ScaleUp::to)
                .containsExactly(tuple("arm", 0, 1), tuple("arm", 1, 2));
    }

    @Test
    void twoSmallNodesShareOneNewArm64NodeAndTheSecondAddsNothing() {
        RestorePlan plan = new RestoreCase()
                .nodes(node("amd-1", "x86", Arch.AMD64).pods(web("a-1")),
                        node("amd-2", "x86", Arch.AMD64).pods(web("b-1")))
                .restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).extracting(Replacement::node, r -> r.capacity().newNodes())
                .containsExactly(tuple("amd-1", 1), tuple("amd-2", 0));
        assertThat(plan.replacements().get(1).savingPerHour()).isCloseTo(X86_PRICE, within(1e-9));
    }

    @Test
    void theBudgetTakesTheBestMoveFirstAndKeepsTheRest() {
        RestorePlan plan = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1")),
                        amd("amd-1", "a-1", "a-2", "a-3"), amd("amd-2", "b-1", "b-2"))
                .plan();

        // amd-2's pods fit arm-1's free room (the whole node saved); amd-1 would need a new node
        assertThat(plan.replacements()).extracting(Replacement::node).containsExactly("amd-2");
        assertThat(plan.kept()).filteredOn(k -> k.node().equals("amd-1")).singleElement()
                .satisfies(k -> {
                    assertThat(k.reason()).isEqualTo(KeptReason.BUDGET_REACHED);
                    assertThat(k.detail()).contains("restore.maxNodes 1");
                });
    }

    @Test
    void restoresGoBeforeReplacements() {
        // amd-1's pod prefers arm64 by weight; amd-2's tolerates a dedicated group ranked above arm64,
        // so only a replace moves it, and that one would save more (a pricier node, nothing to add)
        RestorePlan plan = new RestoreCase()
                .addGroup(Fixtures.group("db", Arch.AMD64).weight(200).price(0.2)
                        .taint("dedicated", "db", TaintEffect.NO_SCHEDULE), "db")
                .nodes(node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1500m")),
                        amd("amd-1", "a-1"), node("amd-2", "db", Arch.AMD64).pods(web("d-1").cpu("200m")
                                .tolerate(Fixtures.tolerateEqual("dedicated", "db", TaintEffect.NO_SCHEDULE))))
                .replace().plan();

        assertThat(plan.replacements()).extracting(Replacement::node, Replacement::reason)
                .containsExactly(tuple("amd-1", RestoreReason.RESTORE));
        assertThat(plan.kept()).extracting(Kept::node, Kept::reason)
                .containsExactly(tuple("amd-2", KeptReason.BUDGET_REACHED));
    }

    @Test
    void aPodDisruptionBudgetIsSpentOnceAcrossMoves() {
        RestorePlan plan = new RestoreCase()
                .nodes(amd("amd-1", "a-1"), amd("amd-2", "b-1"))
                .budget(budget("default", "web", Map.of("app", "web"), 1))
                .restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).extracting(Replacement::node).containsExactly("amd-1");
        assertThat(plan.kept()).extracting(Kept::node, Kept::reason)
                .containsExactly(tuple("amd-2", KeptReason.NOT_ENOUGH_PDB));
    }

    @Test
    void aGroupIsNotEmptiedBelowItsMinSizeBySeveralMoves() {
        RestorePlan plan = new RestoreCase()
                .group("x86", g -> g.size(1, 10, 2))
                .nodes(amd("amd-1", "a-1"), amd("amd-2", "b-1"))
                .restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).extracting(Replacement::node).containsExactly("amd-1");
        assertThat(plan.kept()).extracting(Kept::node, Kept::reason)
                .containsExactly(tuple("amd-2", KeptReason.MIN_SIZE_REACHED));
    }

    @Test
    void podsOfAMoveInProgressKeepTheRoomAskedForThem() {
        // amd-0 is being emptied onto arm-1's free room; amd-1 must not count on it
        RestorePlan plan = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64),
                        node("amd-0", "x86", Arch.AMD64).cordoned().beingDeleted().pods(web("m-1").cpu("1500m")),
                        amd("amd-1", "a-1", "a-2"))
                .moving("amd-0").restoreBudget(THREE_AT_ONCE).plan();

        assertThat(plan.replacements()).singleElement().satisfies(r -> {
            assertThat(r.node()).isEqualTo("amd-1");
            assertThat(r.capacity().newNodes()).isEqualTo(1);
        });
    }

    @Test
    void pendingPodsTakeFreeRoomBeforeAnyMove() {
        RestorePlan plan = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64), amd("amd-1", "a-1", "a-2"))
                .pending(Fixtures.pod("new-1").cpu("1500m").build()).plan();

        assertThat(plan.replacements()).singleElement().satisfies(r -> assertThat(r.capacity().newNodes()).isEqualTo(1));
    }

    /** In backoff, or its offering left out after a capacity error (the backoff may be over by then). */
    @Test
    void whyTheArm64GroupCannotTakeThePodsIsSaid() {
        RestorePlan backedOff = new RestoreCase().nodes(amd("amd-1", "a-1")).backedOff("arm").plan();
        RestorePlan offeringOut = new RestoreCase().nodes(amd("amd-1", "a-1")).offeringOut("arm").plan();

        assertThat(List.of(backedOff, offeringOut)).extracting(p -> p.kept().get(0).reason())
                .containsOnly(KeptReason.NO_ARM64_ROOM);
        assertThat(backedOff.kept()).singleElement().satisfies(k ->
                assertThat(k.detail()).contains("default/a-1").contains("backoff"));
        assertThat(offeringOut.kept()).singleElement().satisfies(k ->
                assertThat(k.detail()).contains("default/a-1").contains("unavailable after a capacity error"));
    }

    @Test
    void arm64NodesAndNodesBeingDeletedAreNotConsidered() {
        RestorePlan plan = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64).pods(web("a-1")),
                        node("amd-1", "x86", Arch.AMD64).beingDeleted().cordoned().pods(web("b-1")))
                .plan();
        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.kept()).isEmpty();
    }

    @Test
    void theSamePlanForTheSameInput() {
        RestoreCase c = new RestoreCase()
                .nodes(node("arm-1", "arm", Arch.ARM64).pods(pod("api-1").cpu("1")),
                        amd("amd-2", "b-1", "b-2"), amd("amd-1", "a-1", "a-2"), amd("amd-3", "c-1"))
                .restoreBudget(THREE_AT_ONCE);
        assertThat(c.plan()).isEqualTo(c.plan());
    }
}
