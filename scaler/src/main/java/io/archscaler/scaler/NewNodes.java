package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private record Candidate(Expander.Option option, GroupPlan plan) {
    }

    private static final Comparator<Candidate> RANKING = Comparator.comparing(Candidate::option, Expander.RANKING);

    /** One class on its way down its ranking. */
    static final class Choice {
        final PodClass pods;
        private final List<Candidate> ranked;
        private int next;
        /** Why arm64 groups ranked above the current one took no more of these pods. */
        private final List<String> armPassedOver = new ArrayList<>();

        private Choice(PodClass pods, List<Candidate> ranked) {
            this.pods = pods;
            this.ranked = ranked;
        }

        GroupPlan current() {
            return next < ranked.size() ? ranked.get(next).plan() : null;
        }

        /** Gives up on the current group, noting why when it is an arm64 one. */
        void passOver(ClusterBudget budget) {
            GroupPlan g = current();
            if (g.arch == Arch.ARM64) {
                String why = g.whyNoRoom(budget);
                armPassedOver.add(g.name() + " " + (why == null ? "has no room left" : why));
            }
            next++;
        }

        /** Records pods placed on the current group. */
        void placed(long n) {
            GroupPlan g = current();
            g.assign(pods.take(n));
            if (g.arch == Arch.AMD64 && pods.allowed.contains(Arch.ARM64)) {
                g.fallback(armPassedOver);
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
        List<Choice> choices = new ArrayList<>();
        for (PodClass c : classes) {
            if (c.remaining() > 0 && !c.allowed.isEmpty()) {
                choices.add(new Choice(c, ranked(c, groups)));
            }
        }
        List<GroupPlan> order = new ArrayList<>(groups);
        order.sort(PACKING_ORDER);
        boolean moved = true;
        while (moved) {
            moved = false;
            Map<GroupPlan, List<Choice>> byGroup = new LinkedHashMap<>();
            order.forEach(g -> byGroup.put(g, new ArrayList<>()));
            for (Choice choice : choices) {
                while (choice.pods.remaining() > 0 && choice.current() != null && choice.current().skipped != null) {
                    choice.passOver(budget);
                }
                if (choice.pods.remaining() > 0 && choice.current() != null) {
                    byGroup.get(choice.current()).add(choice);
                }
            }
            for (Map.Entry<GroupPlan, List<Choice>> e : byGroup.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                new GroupPacker(e.getKey(), budget, floor).pack(e.getValue());
                for (Choice choice : e.getValue()) {
                    if (choice.pods.remaining() > 0) {
                        choice.passOver(budget);
                        moved = true;
                    }
                }
            }
        }
    }

    private List<Candidate> ranked(PodClass c, List<GroupPlan> groups) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            long perNode = fit.perNode(c, i);
            if (perNode > 0) {
                GroupPlan g = groups.get(i);
                candidates.add(new Candidate(new Expander.Option(g.group, g.arch, perNode), g));
            }
        }
        candidates.sort(RANKING);
        return candidates;
    }
}
