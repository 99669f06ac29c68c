package io.archscaler.scaler.cost;

import io.archscaler.scaler.DaemonSetReservation;
import io.archscaler.scaler.TemplateFit;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The cost per hour of the cheapest placement of some pods on new nodes of the configured groups
 * (each group's DaemonSet pods reserved on every node, at least its minSize nodes paid for, at
 * most its maxSize): the yardstick the demo measures a cluster's cost against. Exact on small
 * cases, by a bounded branch-and-bound search; beyond the search's limits, a lower bound that no
 * placement can beat: for each resource, every pod's requests priced at the cheapest price per
 * unit of that resource among the groups that fit it, the largest of these sums (and never less
 * than the minSize nodes). Cluster-wide limits are not applied, so the answer is never above what
 * a placement within them costs.
 */
public final class OptimalCost {
    /** Whether {@link Result#perHour} is the optimum itself or a bound below it. */
    public enum Kind {
        EXACT("exact"),
        LOWER_BOUND("lower-bound");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * How far the exact search may go before settling for the bound.
     *
     * @param maxSteps placements the search may try in all
     */
    public record Limits(int maxPods, int maxGroups, long maxSteps) {
        public static final Limits DEFAULTS = new Limits(48, 8, 1_000_000);
    }

    /**
     * The answer.
     *
     * @param nodesByGroup for an exact answer, the nodes of each group (minSize included) of one
     *                     cheapest placement; empty for a bound
     * @param unplaceable  pods no group's template fits ({@code namespace/name}): left out of the cost
     */
    public record Result(double perHour, Kind kind, Map<String, Integer> nodesByGroup, List<String> unplaceable) {
        public Result {
            nodesByGroup = Map.copyOf(nodesByGroup);
            unplaceable = List.copyOf(unplaceable);
        }
    }

    private OptimalCost() {
    }

    public static Result of(List<NodeGroup> groups, List<PendingPod> pods, List<PendingPod> daemonSets) {
        return of(groups, pods, daemonSets, Limits.DEFAULTS);
    }

    public static Result of(List<NodeGroup> groups, List<PendingPod> pods, List<PendingPod> daemonSets, Limits limits) {
        Problem p = problem(groups, pods, daemonSets);
        double bound = lowerBound(p);
        if (p.pods().size() <= limits.maxPods() && p.groups().size() <= limits.maxGroups()) {
            PlacementSearch.Found found = new PlacementSearch(p, limits.maxSteps()).run();
            if (found != null) {
                return new Result(found.perHour(), Kind.EXACT, found.nodesByGroup(), p.unplaceable());
            }
        }
        return new Result(bound, Kind.LOWER_BOUND, Map.of(), p.unplaceable());
    }

    /** The bound alone, for any number of pods. */
    public static double lowerBound(List<NodeGroup> groups, List<PendingPod> pods, List<PendingPod> daemonSets) {
        return lowerBound(problem(groups, pods, daemonSets));
    }

    /**
     * The pods sorted largest first (identical pods next to each other), the groups with templates,
     * and which group fits which pod.
     */
    static Problem problem(List<NodeGroup> groups, List<PendingPod> pods, List<PendingPod> daemonSets) {
        TreeSet<String> extended = new TreeSet<>();
        pods.forEach(p -> extended.addAll(requests(p).extended().keySet()));
        List<String> dims = List.copyOf(extended);
        List<Problem.Group> gs = new ArrayList<>();
        for (NodeGroup g : groups) {
            if (g.template() != null && g.template().allocatable() != null && g.maxSize() > 0) {
                Resources reserved = DaemonSetReservation.forGroup(daemonSets, g);
                Resources usable = g.template().allocatable().minus(reserved);
                gs.add(new Problem.Group(g, usable, Problem.vector(usable, dims)));
            }
        }
        gs.sort(Comparator.comparingDouble((Problem.Group g) -> g.price()).thenComparing(g -> g.group().name()));
        List<Problem.Pod> placeable = new ArrayList<>();
        List<String> unplaceable = new ArrayList<>();
        for (PendingPod pod : pods) {
            BitSet fits = new BitSet();
            for (int g = 0; g < gs.size(); g++) {
                Problem.Group group = gs.get(g);
                Resources reserved = group.group().template().allocatable().minus(group.usable());
                if (TemplateFit.whyNot(pod, group.group(), reserved).isEmpty()) {
                    fits.set(g);
                }
            }
            if (fits.isEmpty()) {
                unplaceable.add(pod.key());
            } else {
                placeable.add(new Problem.Pod(pod.key(), Problem.vector(requests(pod), dims), fits));
            }
        }
        unplaceable.sort(null);
        return new Problem(gs, placeable, unplaceable, dims);
    }

    /** The largest per-resource fractional bound, and never less than the minSize nodes. */
    static double lowerBound(Problem p) {
        double best = p.minSizeCost();
        for (int r = 0; r < p.dimensions(); r++) {
            double sum = 0;
            for (Problem.Pod pod : p.pods()) {
                sum += pod.requests()[r] * p.cheapestUnit(pod, r);
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    private static Resources requests(PendingPod pod) {
        return (pod.requests() == null ? Resources.ZERO : pod.requests()).withPods(1);
    }
}
