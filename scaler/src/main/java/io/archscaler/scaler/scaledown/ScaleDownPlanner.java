package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which nodes can go. A node is unneeded when the larger of its cpu and memory requested/allocatable
 * ratios is below the threshold and every pod on it may be evicted and fits on the other nodes;
 * it is removed once it has been unneeded for {@code unneededTime}, outside the delays after a
 * scale-up and after a failed scale-down, never taking a group below its minSize. amd64 nodes
 * whose pods fit arm64 room go first; with {@code consolidate}, a busy amd64 node whose pods all
 * fit free arm64 room goes too, within {@code maxDisruptedNodes}. Pure and deterministic.
 */
public final class ScaleDownPlanner {
    private final ScaleDownRules rules;

    public ScaleDownPlanner(ScaleDownRules rules) {
        this.rules = rules;
    }

    /** Finds the unneeded nodes and tells the tracker, without choosing any for removal. */
    public ScaleDownResult track(ScaleDownInput in, UnneededTracker tracker) {
        Evaluation e = evaluate(in);
        tracker.update(e.candidates.stream().map(Candidate::node).toList());
        return new ScaleDownResult(List.of(), e.unremovable, e.candidates);
    }

    /** Finds the unneeded nodes, tells the tracker, and chooses the ones to remove at {@code now}. */
    public ScaleDownResult plan(ScaleDownInput in, UnneededTracker tracker, Instant now) {
        Evaluation e = evaluate(in);
        tracker.update(e.candidates.stream().map(Candidate::node).toList());
        List<Unremovable> unremovable = new ArrayList<>(e.unremovable);
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : e.candidates) {
            Unremovable waiting = waiting(in, e, c, tracker, now);
            if (waiting == null) {
                eligible.add(c);
            } else {
                unremovable.add(waiting);
            }
        }
        eligible.sort(Comparator.comparingInt(ScaleDownPlanner::tier)
                .thenComparing(c -> c.kind() != Removal.Kind.EMPTY)
                .thenComparingDouble(Candidate::utilization)
                .thenComparing(Candidate::node));
        List<Removal> removals = select(in, e, eligible, unremovable);
        unremovable.sort(Comparator.comparing(Unremovable::node));
        return new ScaleDownResult(removals, unremovable, e.candidates);
    }

    /** amd64 nodes arm64 can absorb first, then consolidation of busy amd64 nodes, then the rest. */
    private static int tier(Candidate c) {
        if (c.kind() == Removal.Kind.CONSOLIDATION) {
            return 1;
        }
        return c.arch() == Arch.AMD64 && c.fitsArm64() ? 0 : 2;
    }

    private List<Removal> select(ScaleDownInput in, Evaluation e, List<Candidate> eligible, List<Unremovable> kept) {
        Simulation sim = new Simulation(in.nodes(), in.budgets());
        Map<String, Integer> removedPerGroup = new HashMap<>();
        int consolidations = 0;
        List<Removal> removals = new ArrayList<>();
        for (Candidate c : eligible) {
            NodeGroup g = e.groups.get(c.nodeGroup());
            int removed = removedPerGroup.getOrDefault(g.name(), 0);
            if (g.targetSize() - removed - 1 < g.minSize()) {
                kept.add(new Unremovable(c.node(), g.name(), UnremovableReason.MIN_SIZE_REACHED,
                        "node group " + g.name() + " would go below its minSize " + g.minSize()));
                continue;
            }
            boolean consolidation = c.kind() == Removal.Kind.CONSOLIDATION;
            if (consolidation && consolidations >= rules.maxDisruptedNodes()) {
                kept.add(new Unremovable(c.node(), g.name(), UnremovableReason.DISRUPTION_BUDGET_REACHED,
                        "already draining " + consolidations + " busy node" + (consolidations == 1 ? "" : "s")
                                + " for consolidation (maxDisruptedNodes " + rules.maxDisruptedNodes() + ")"));
                continue;
            }
            NodeWithPods n = e.byName.get(c.node());
            PodRules.Blocked blocked = sim.remove(c.node(), movable(n), destinations(c), true);
            if (blocked != null) {
                kept.add(new Unremovable(c.node(), g.name(), blocked.reason(), blocked.detail()));
                continue;
            }
            removedPerGroup.merge(g.name(), 1, Integer::sum);
            if (consolidation) {
                consolidations++;
            }
            removals.add(new Removal(g.name(), c.node(), c.arch(), c.kind(), reason(c, n), c.pods()));
        }
        return removals;
    }

    private static Simulation.Destinations destinations(Candidate c) {
        return c.kind() == Removal.Kind.CONSOLIDATION ? Simulation.Destinations.ARM64_ONLY : Simulation.Destinations.ANY;
    }

    /** Why a candidate must wait, or null when it may go now. */
    private Unremovable waiting(ScaleDownInput in, Evaluation e, Candidate c, UnneededTracker tracker, Instant now) {
        Instant since = tracker.since(c.node()).orElse(now);
        Duration unneededFor = Duration.between(since, now);
        if (unneededFor.compareTo(rules.unneededTime()) < 0) {
            return new Unremovable(c.node(), c.nodeGroup(), UnremovableReason.NOT_UNNEEDED_LONG_ENOUGH,
                    "unneeded for " + format(unneededFor) + " of " + format(rules.unneededTime()));
        }
        Node node = e.byName.get(c.node()).node();
        if (node.created() != null && now.isBefore(node.created().plus(rules.delayAfterAdd()))) {
            return new Unremovable(c.node(), c.nodeGroup(), UnremovableReason.RECENTLY_ADDED,
                    "node created " + format(Duration.between(node.created(), now)) + " ago (delayAfterAdd "
                            + format(rules.delayAfterAdd()) + ")");
        }
        Instant scaledUp = in.lastScaleUp().get(c.nodeGroup());
        if (scaledUp != null && now.isBefore(scaledUp.plus(rules.delayAfterAdd()))) {
            return new Unremovable(c.node(), c.nodeGroup(), UnremovableReason.RECENTLY_ADDED,
                    "node group " + c.nodeGroup() + " scaled up " + format(Duration.between(scaledUp, now))
                            + " ago (delayAfterAdd " + format(rules.delayAfterAdd()) + ")");
        }
        Instant failed = in.failedScaleDowns().get(c.node());
        if (failed != null && now.isBefore(failed.plus(rules.delayAfterFailure()))) {
            return new Unremovable(c.node(), c.nodeGroup(), UnremovableReason.RECENTLY_FAILED,
                    "scale-down failed " + format(Duration.between(failed, now)) + " ago (delayAfterFailure "
                            + format(rules.delayAfterFailure()) + ")");
        }
        return null;
    }

    /** The candidates now, each checked alone against the whole cluster, and why the others are kept. */
    private Evaluation evaluate(ScaleDownInput in) {
        Evaluation e = new Evaluation();
        in.nodeGroups().forEach(g -> e.groups.put(g.name(), g));
        List<NodeWithPods> nodes = new ArrayList<>(in.nodes());
        nodes.sort(Comparator.comparing(NodeWithPods::name));
        nodes.forEach(n -> e.byName.put(n.name(), n));
        Simulation sim = new Simulation(nodes, in.budgets());
        for (NodeWithPods n : nodes) {
            if (n.beingDeleted()) {
                continue;
            }
            Node node = n.node();
            NodeGroup g = node.nodeGroup() == null ? null : e.groups.get(node.nodeGroup());
            if (g == null) {
                e.unremovable.add(new Unremovable(n.name(), null, UnremovableReason.NOT_AUTOSCALED,
                        "not in a managed node group"));
                continue;
            }
            Verdict v = candidate(n, g, in.budgets(), sim);
            if (v.candidate() != null) {
                e.candidates.add(v.candidate());
            } else {
                e.unremovable.add(new Unremovable(n.name(), g.name(), v.blocked().reason(), v.blocked().detail()));
            }
        }
        return e;
    }

    /** Either a candidate or why the node is kept. */
    private record Verdict(Candidate candidate, PodRules.Blocked blocked) {
        Verdict(PodRules.Blocked blocked) {
            this(null, blocked);
        }

        Verdict(Candidate candidate) {
            this(candidate, null);
        }
    }

    private Verdict candidate(NodeWithPods n, NodeGroup g, List<DisruptionBudget> budgets, Simulation sim) {
        Node node = n.node();
        PodRules.Blocked annotated = PodRules.checkNode(n);
        if (annotated != null) {
            return new Verdict(annotated);
        }
        if (!node.ready()) {
            return new Verdict(new PodRules.Blocked(UnremovableReason.NOT_READY, "node is not ready"));
        }
        if (g.targetSize() <= g.minSize()) {
            return new Verdict(new PodRules.Blocked(UnremovableReason.MIN_SIZE_REACHED,
                    "node group " + g.name() + " is at its minSize " + g.minSize()));
        }
        List<BoundPod> movable = movable(n);
        double[] ratios = ratios(node, movable);
        double utilization = Math.max(ratios[0], ratios[1]);
        Arch arch = Simulation.archOf(node);
        boolean low = utilization < rules.utilizationThreshold();
        boolean consolidation = !low && rules.consolidate() && arch == Arch.AMD64;
        if (!low && !consolidation) {
            return new Verdict(new PodRules.Blocked(UnremovableReason.NOT_UNDERUTILIZED, usage(ratios) + ", not below "
                    + percent(rules.utilizationThreshold())));
        }
        PodRules.Blocked podBlocked = PodRules.checkPods(movable, budgets);
        if (podBlocked != null) {
            return new Verdict(podBlocked);
        }
        List<String> keys = movable.stream().map(BoundPod::key).sorted().toList();
        if (consolidation) {
            PodRules.Blocked b = sim.remove(n.name(), movable, Simulation.Destinations.ARM64_ONLY, false);
            if (b != null && b.reason() == UnremovableReason.NO_PLACE_TO_MOVE_PODS) {
                return new Verdict(new PodRules.Blocked(UnremovableReason.NOT_UNDERUTILIZED, usage(ratios)
                        + ", and its pods do not all fit free arm64 room: " + b.detail()));
            }
            return b != null ? new Verdict(b) : new Verdict(new Candidate(n.name(), g.name(), arch,
                    Removal.Kind.CONSOLIDATION, utilization, true, keys));
        }
        PodRules.Blocked b = sim.remove(n.name(), movable, Simulation.Destinations.ANY, false);
        if (b != null) {
            return new Verdict(b);
        }
        boolean fitsArm64 = arch == Arch.AMD64
                && sim.remove(n.name(), movable, Simulation.Destinations.ARM64_ONLY, false) == null;
        Removal.Kind kind = movable.isEmpty() ? Removal.Kind.EMPTY : Removal.Kind.UNDERUTILIZED;
        return new Verdict(new Candidate(n.name(), g.name(), arch, kind, utilization, fitsArm64, keys));
    }

    static List<BoundPod> movable(NodeWithPods n) {
        return n.pods().stream().filter(p -> !p.staysWithNode()).toList();
    }

    /** cpu and memory requested/allocatable, DaemonSet and mirror pods left out. */
    private static double[] ratios(Node node, List<BoundPod> pods) {
        Resources sum = Resources.ZERO;
        for (BoundPod p : pods) {
            sum = sum.plus(Simulation.requests(p));
        }
        Resources alloc = node.allocatable() == null ? Resources.ZERO : node.allocatable();
        return new double[] {ratio(sum.cpuMillis(), alloc.cpuMillis()), ratio(sum.memoryBytes(), alloc.memoryBytes())};
    }

    private static double ratio(long requested, long allocatable) {
        if (allocatable <= 0) {
            return requested > 0 ? 1 : 0;
        }
        return (double) requested / allocatable;
    }

    private String reason(Candidate c, NodeWithPods n) {
        int pods = c.pods().size();
        String moved = pods + " pod" + (pods == 1 ? "" : "s");
        double[] r = ratios(n.node(), movable(n));
        return switch (c.kind()) {
            case EMPTY -> "empty";
            case UNDERUTILIZED -> "underutilized: " + usage(r) + ", below " + percent(rules.utilizationThreshold())
                    + "; " + moved + " fit" + (pods == 1 ? "s" : "") + (c.fitsArm64() ? " arm64 room" : " other nodes");
            case CONSOLIDATION -> "consolidation to arm64: " + usage(r) + "; " + moved + " fit"
                    + (pods == 1 ? "s" : "") + " free arm64 room";
        };
    }

    private static String usage(double[] ratios) {
        return "cpu " + percent(ratios[0]) + ", memory " + percent(ratios[1]) + " of allocatable requested";
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s + "s";
    }

    private static final class Evaluation {
        final Map<String, NodeGroup> groups = new HashMap<>();
        final Map<String, NodeWithPods> byName = new HashMap<>();
        final List<Candidate> candidates = new ArrayList<>();
        final List<Unremovable> unremovable = new ArrayList<>();
    }
}
