package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packs one class's remaining pods onto new nodes: groups in the expander's order, each first
 * filling its already-opened new nodes, then opening as many as its maxSize and the cluster
 * limits allow; the rest flows to the next group. Notes why arm64 groups were passed over, so
 * an amd64 scale-up can say why it carries pods that could have run on arm64.
 */
final class NewNodePacking {
    private record Candidate(Expander.Option option, GroupPlan plan) {
    }

    private static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::option, Expander.RANKING);

    private final PodClass pods;
    private final Demand floor;
    private final ClusterBudget budget;
    private final GroupFit fit;

    NewNodePacking(PodClass pods, Demand floor, ClusterBudget budget, GroupFit fit) {
        this.pods = pods;
        this.floor = floor;
        this.budget = budget;
        this.fit = fit;
    }

    void pack(List<GroupPlan> groups) {
        if (pods.remaining() == 0) {
            return;
        }
        List<String> armPassedOver = new ArrayList<>();
        for (Candidate candidate : ranked(groups)) {
            GroupPlan g = candidate.plan();
            long placed = g.skipped == null ? place(g, candidate.option().podsPerNode()) : 0;
            if (placed > 0) {
                g.assign(pods.take(placed));
                if (g.arch == Arch.AMD64 && pods.allowed.contains(Arch.ARM64)) {
                    g.fallback(armPassedOver);
                }
            }
            if (pods.remaining() == 0) {
                return;
            }
            if (g.arch == Arch.ARM64) {
                String why = g.whyNoRoom(budget);
                armPassedOver.add(g.name() + " " + (why == null ? "has no room left" : why));
            }
        }
    }

    private long place(GroupPlan g, long perNode) {
        long wanted = pods.remaining();
        long placed = g.newNodes.fill(pods.demand, wanted, floor);
        if (placed < wanted) {
            long room = Math.min(g.headroomLeft(), budget.room(g.allocatable));
            long opened = g.newNodes.open(g.empty, pods.demand, wanted - placed, room, floor);
            if (opened > 0) {
                g.opened(opened);
                budget.add(g.allocatable, opened);
                placed += Math.min(wanted - placed, opened * perNode);
            }
        }
        return placed;
    }

    private List<Candidate> ranked(List<GroupPlan> groups) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            long perNode = fit.perNode(pods, i);
            if (perNode > 0) {
                GroupPlan g = groups.get(i);
                candidates.add(new Candidate(new Expander.Option(g.group, g.arch, perNode), g));
            }
        }
        candidates.sort(ORDER);
        return candidates;
    }
}
