package io.archscaler.scaler;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs the classes that chose one group: first-fit onto the group's already-opened new nodes,
 * then onto new nodes laid out by {@link NodePattern}, each layout opened as many times at once
 * as the pods, the group's maxSize and the cluster limits allow.
 */
final class GroupPacker {
    private final GroupPlan group;
    private final ClusterBudget budget;
    private final Demand floor;

    GroupPacker(GroupPlan group, ClusterBudget budget, Demand floor) {
        this.group = group;
        this.budget = budget;
        this.floor = floor;
    }

    void pack(List<NewNodes.Choice> choices) {
        int n = choices.size();
        long[] left = new long[n];
        long[] placed = new long[n];
        List<Demand> demands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PodClass c = choices.get(i).pods;
            demands.add(c.demand);
            placed[i] = group.newNodes.fill(c.demand, c.remaining(), floor);
            left[i] = c.remaining() - placed[i];
        }
        long room = room();
        NodePattern layouts = room > 0 ? new NodePattern(group.empty, demands, left) : null;
        while (room > 0) {
            layouts.next();
            if (layouts.size() == 0) {
                break;
            }
            long repeats = room;
            for (int k = 0; k < layouts.size(); k++) {
                repeats = Math.min(repeats, left[layouts.classAt(k)] / layouts.podsAt(k));
            }
            Bin nodes = group.empty.copy(repeats);
            for (int k = 0; k < layouts.size(); k++) {
                int i = layouts.classAt(k);
                long pods = layouts.podsAt(k);
                nodes.take(demands.get(i), pods);
                left[i] -= repeats * pods;
                placed[i] += repeats * pods;
                if (left[i] == 0) {
                    layouts.exhausted(i);
                }
            }
            group.newNodes.append(nodes, floor);
            group.opened(repeats);
            budget.add(group.allocatable, repeats);
            room = room();
        }
        for (int i = 0; i < n; i++) {
            if (placed[i] > 0) {
                choices.get(i).placed(placed[i]);
            }
        }
    }

    private long room() {
        return Math.min(group.headroomLeft(), budget.room(group.allocatable));
    }
}
