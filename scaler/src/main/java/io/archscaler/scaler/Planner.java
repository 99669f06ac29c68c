package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arch-aware scale-up planner: resolves each pending pod's architectures, uses free room on
 * registered and in-flight nodes first, then packs the rest first-fit-decreasing onto new nodes
 * of the best-ranked group that fits, overflowing to the next, within every limit.
 * Deterministic: the same snapshot, in any order, gives an equal plan.
 */
public final class Planner {
    public Planner() {
    }

    /** The scale-ups the snapshot's pending pods need, and the pods no group can help, with why. */
    public ScalePlan plan(ClusterSnapshot snapshot) {
        EquivalenceClasses classes = new EquivalenceClasses(snapshot.pendingPods());
        List<GroupPlan> groups = new ArrayList<>();
        for (NodeGroup g : snapshot.nodeGroups()) {
            groups.add(new GroupPlan(g, snapshot, classes.index));
        }
        groups.sort(Comparator.comparing(GroupPlan::name));
        ClusterBudget budget = budget(snapshot, groups);
        ExistingCapacity existing = new ExistingCapacity(snapshot.nodes(), classes);
        GroupFit fit = new GroupFit(groups, classes.constraintsCount);
        Demand[] floors = classes.floors();

        List<String> onExisting = new ArrayList<>();
        List<Unschedulable> unschedulable = new ArrayList<>();
        for (int i = 0; i < classes.classes.size(); i++) {
            PodClass c = classes.classes.get(i);
            if (c.allowed.isEmpty()) {
                String why = "no supported architecture: " + ArchResolver.whyEmpty(exemplar(c));
                c.take(c.size()).forEach(k -> unschedulable.add(new Unschedulable(k, why)));
                continue;
            }
            onExisting.addAll(c.take(onExistingCapacity(c, existing, groups, fit, floors[i])));
        }
        new NewNodes(fit, budget, floors.length == 0 ? null : floors[0]).place(classes.classes, groups);
        NoRoomReasons reasons = new NoRoomReasons(groups, fit, budget, classes.constraintsCount);
        for (PodClass c : classes.classes) {
            if (c.remaining() > 0) {
                String why = reasons.of(c);
                c.take(c.remaining()).forEach(k -> unschedulable.add(new Unschedulable(k, why)));
            }
        }

        List<ScaleUp> scaleUps = new ArrayList<>();
        for (GroupPlan g : groups) {
            ScaleUp up = g.toScaleUp();
            if (up != null) {
                scaleUps.add(up);
            }
        }
        onExisting.sort(null);
        unschedulable.sort(Comparator.comparing(Unschedulable::pod).thenComparing(Unschedulable::reason));
        return new ScalePlan(scaleUps, unschedulable, List.of(), onExisting);
    }

    private static long onExistingCapacity(PodClass c, ExistingCapacity existing, List<GroupPlan> groups,
                                           GroupFit fit, Demand floor) {
        long wanted = c.remaining();
        long placed = existing.place(c, wanted);
        for (int g = 0; g < groups.size() && placed < wanted; g++) {
            if (fit.constraintsFit(c, g)) {
                placed += groups.get(g).inFlight.fill(c.demand, wanted - placed, floor);
            }
        }
        return placed;
    }

    /** Registered nodes, then in-flight ones, count against the cluster limits before any is planned. */
    private static ClusterBudget budget(ClusterSnapshot snapshot, List<GroupPlan> groups) {
        ClusterBudget budget = new ClusterBudget(snapshot.limits());
        for (Node n : snapshot.nodes()) {
            budget.add(n.allocatable() == null ? Resources.ZERO : n.allocatable(), 1);
        }
        Map<String, Integer> unknown = new HashMap<>(snapshot.inFlightNodes());
        for (GroupPlan g : groups) {
            budget.add(g.allocatable, GroupPlan.inFlightCount(g.group, snapshot));
            unknown.remove(g.name());
        }
        unknown.values().forEach(n -> budget.add(Resources.ZERO, Math.max(0, n)));
        return budget;
    }

    private static PendingPod exemplar(PodClass c) {
        Constraints k = c.constraints;
        return new PendingPod("", c.firstKey(), c.requests, k.nodeSelector(), k.affinity(), k.tolerations(),
                k.imageArchs(), null);
    }
}
