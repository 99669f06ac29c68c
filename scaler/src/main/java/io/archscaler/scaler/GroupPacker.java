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
        if (room > 0) {
            // lay out both ways on paper; balanced wins only when it takes every pod on fewer nodes
            Layouts chosen = layOut(NodePattern.Mode.GREEDY, demands, left, room);
            if (chosen.placedAll) {
                Layouts balanced = layOut(NodePattern.Mode.BALANCED, demands, left, room);
                if (balanced.placedAll && balanced.nodes < chosen.nodes) {
                    chosen = balanced;
                }
            }
            for (Layout layout : chosen.steps) {
                Bin nodes = group.empty.copy(layout.repeats);
                for (int k = 0; k < layout.classes.length; k++) {
                    int i = layout.classes[k];
                    nodes.take(demands.get(i), layout.pods[k]);
                    left[i] -= layout.repeats * layout.pods[k];
                    placed[i] += layout.repeats * layout.pods[k];
                }
                group.newNodes.append(nodes, floor);
                group.opened(layout.repeats);
                budget.add(group.allocatable, layout.repeats);
            }
        }
        for (int i = 0; i < n; i++) {
            if (placed[i] > 0) {
                choices.get(i).placed(placed[i]);
            }
        }
    }

    /** One node layout (pods per class) and how many nodes get it. */
    private record Layout(int[] classes, long[] pods, long repeats) {
    }

    /** A way to lay out new nodes for the pods left, without opening any yet. */
    private record Layouts(List<Layout> steps, long nodes, boolean placedAll) {
    }

    /**
     * The layouts, each opened as many times at once as the pods left of its classes and the
     * {@code room} (maxSize, cluster limits) allow; {@code left} is not changed.
     */
    private Layouts layOut(NodePattern.Mode mode, List<Demand> demands, long[] pods, long room) {
        long[] left = pods.clone();
        NodePattern layouts = new NodePattern(group.empty, demands, left, mode);
        List<Layout> steps = new ArrayList<>();
        long nodes = 0;
        while (room > 0) {
            layouts.next();
            if (layouts.size() == 0) {
                break;
            }
            long repeats = room;
            for (int k = 0; k < layouts.size(); k++) {
                repeats = Math.min(repeats, left[layouts.classAt(k)] / layouts.podsAt(k));
            }
            int[] classes = new int[layouts.size()];
            long[] counts = new long[layouts.size()];
            for (int k = 0; k < layouts.size(); k++) {
                int i = layouts.classAt(k);
                classes[k] = i;
                counts[k] = layouts.podsAt(k);
                left[i] -= repeats * counts[k];
                if (left[i] == 0) {
                    layouts.exhausted(i);
                }
            }
            steps.add(new Layout(classes, counts, repeats));
            nodes += repeats;
            room -= repeats;
        }
        boolean placedAll = true;
        for (long l : left) {
            placedAll &= l == 0;
        }
        return new Layouts(steps, nodes, placedAll);
    }

    private long room() {
        return Math.min(group.headroomLeft(), budget.room(group.allocatable));
    }
}
