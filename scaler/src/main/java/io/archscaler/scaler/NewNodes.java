package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.FallbackCause;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the pods that found no existing room on new nodes. Each class of pods goes to the
 * best-ranked group that fits it (the expander's order, per class); each group packs the classes
 * that chose it together, so complementary pods share nodes; what a group cannot take moves on
 * to the class's next group, round after round, until nothing moves.
 */
final class NewNodes {
    /** Groups are packed in this order, which decides who gets cluster limits first when they are tight. */
    private static final Comparator<GroupPlan> PACKING_ORDER = Comparator
            .comparingInt((GroupPlan g) -> g.group.weight()).reversed()
            .thenComparingInt(g -> g.arch == Arch.ARM64 ? 0 : 1)
            .thenComparing(GroupPlan::name);

    /**
     * One class on its way down its ranking. Most classes never leave their first group, so the
     * next-best group is picked when needed rather than all groups sorted up front.
     */
    static final class Choice {
        final PodClass pods;
        private final GroupPlan[] candidates;
        private final long[] perNode;
        private final int[] slots;
        private final boolean[] passed;
        private int current = -2;
        /** Why arm64 groups ranked above the current one took no more of these pods. */
        private final List<String> armPassedOver = new ArrayList<>();
        /** The strongest of those reasons, typed. */
        private FallbackCause armCause;

        private Choice(PodClass pods, GroupPlan[] candidates, long[] perNode, int[] slots) {
            this.pods = pods;
            this.candidates = candidates;
            this.perNode = perNode;
            this.slots = slots;
            this.passed = new boolean[candidates.length];
        }

        /** The best-ranked group not passed over yet, or null. */
        private GroupPlan group() {
            int i = currentIndex();
            return i < 0 ? null : candidates[i];
        }

        private int slot() {
            return slots[currentIndex()];
        }

        private int currentIndex() {
            if (current == -2) {
                current = -1;
                for (int i = 0; i < candidates.length; i++) {
                    if (!passed[i] && (current < 0 || Expander.compare(candidates[i].group, candidates[i].arch,
                            perNode[i], candidates[current].group, candidates[current].arch, perNode[current]) < 0)) {
                        current = i;
                    }
                }
            }
            return current;
        }

        /** Gives up on the current group, noting why when it is an arm64 one. */
        private void passOver(ClusterBudget budget) {
            GroupPlan g = group();
            if (g.arch == Arch.ARM64) {
                armPassedOver.add(g.noRoomReason(budget));
                armCause = FallbackCause.strongest(armCause, g.noRoomCause(budget));
            }
            passed[currentIndex()] = true;
            current = -2;
        }

        /** Records pods placed on the current group. */
        void placed(long n) {
            GroupPlan g = group();
            g.assign(pods.take(n));
            if (g.arch == Arch.AMD64 && pods.allowed.contains(Arch.ARM64)) {
                g.fallback(armPassedOver, armCause);
            }
        }
    }

    private final GroupFit fit;
    private final ClusterBudget budget;
    private final Demand floor;

    NewNodes(GroupFit fit, ClusterBudget budget, Demand floor) {
        this.fit = fit;
        this.budget = budget;
        this.floor = floor;
    }

    /** Places what it can of the classes' remaining pods (classes in first-fit-decreasing order). */
    void place(List<PodClass> classes, List<GroupPlan> groups) {
        List<GroupPlan> order = new ArrayList<>(groups);
        order.sort(PACKING_ORDER);
        int[] slotOf = new int[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            slotOf[i] = order.indexOf(groups.get(i));
        }
        List<Choice> choices = new ArrayList<>();
        for (PodClass c : classes) {
            if (c.remaining() > 0 && !c.allowed.isEmpty()) {
                choices.add(choice(c, groups, slotOf));
            }
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            List<List<Choice>> bySlot = new ArrayList<>(order.size());
            order.forEach(g -> bySlot.add(new ArrayList<>()));
            for (Choice choice : choices) {
                settle(choice);
                if (choice.pods.remaining() > 0 && choice.group() != null) {
                    bySlot.get(choice.slot()).add(choice);
                }
            }
            for (int slot = 0; slot < order.size(); slot++) {
                List<Choice> chose = bySlot.get(slot);
                if (chose.isEmpty()) {
                    continue;
                }
                new GroupPacker(order.get(slot), budget, floor).pack(chose);
                for (Choice choice : chose) {
                    if (choice.pods.remaining() > 0) {
                        choice.passOver(budget);
                        moved = true;
                    }
                }
            }
        }
    }

    /**
     * Moves the class past groups that cannot open a node, after using what room their
     * already-opened new nodes have, so exhausted groups cost no extra rounds.
     */
    private void settle(Choice choice) {
        GroupPlan g;
        while (choice.pods.remaining() > 0 && (g = choice.group()) != null) {
            if (g.skipped == null) {
                if (g.canOpen(budget)) {
                    return;
                }
                long placed = g.newNodes.fill(choice.pods.demand, choice.pods.remaining(), floor);
                if (placed > 0) {
                    choice.placed(placed);
                }
                if (choice.pods.remaining() == 0) {
                    return;
                }
            }
            choice.passOver(budget);
        }
    }

    private Choice choice(PodClass c, List<GroupPlan> groups, int[] slotOf) {
        int n = 0;
        long[] perNode = new long[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            perNode[i] = fit.perNode(c, i);
            if (perNode[i] > 0) {
                n++;
            }
        }
        GroupPlan[] candidates = new GroupPlan[n];
        long[] counts = new long[n];
        int[] slots = new int[n];
        int k = 0;
        for (int i = 0; i < groups.size(); i++) {
            if (perNode[i] > 0) {
                candidates[k] = groups.get(i);
                counts[k] = perNode[i];
                slots[k++] = slotOf[i];
            }
        }
        return new Choice(c, candidates, counts, slots);
    }
}
