package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.TemplateFit;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Free room on the cluster's nodes while nodes are taken away one by one: a removed node's pods
 * are placed first-fit (arm64 nodes first, then by name) by the same fit rules as scale-up, and
 * PodDisruptionBudgets are drawn down. A failed attempt leaves everything as it was.
 */
final class Simulation {
    /** Which nodes may take the pods of a removed node. */
    enum Destinations { ANY, ARM64_ONLY }

    private final Map<String, Node> room = new LinkedHashMap<>();
    private final DisruptionLedger ledger;
    private final Map<String, List<BoundPod>> arrivals = new HashMap<>();
    private final Set<String> removed = new HashSet<>();

    Simulation(List<NodeWithPods> nodes, List<DisruptionBudget> budgets) {
        List<Node> usable = new ArrayList<>();
        for (NodeWithPods n : nodes) {
            Node node = n.node();
            if (node.ready() && !node.unschedulable() && !n.beingDeleted() && node.allocatable() != null) {
                usable.add(node.requested() == null ? withRequested(node, Resources.ZERO) : node);
            }
        }
        usable.sort(Comparator.comparing((Node x) -> archOf(x) == Arch.ARM64 ? 0 : 1).thenComparing(Node::name));
        usable.forEach(x -> room.put(x.name(), x));
        this.ledger = new DisruptionLedger(budgets);
    }

    /**
     * Takes the node away if its pods (and any placed on it earlier) can go elsewhere; with
     * {@code commit} false, only answers. Null when it can, else why not.
     */
    PodRules.Blocked remove(String node, List<BoundPod> pods, Destinations to, boolean commit) {
        PodRules.Blocked overBudget = ledger.check(pods);
        if (overBudget != null) {
            return overBudget;
        }
        List<BoundPod> toPlace = new ArrayList<>(pods);
        toPlace.addAll(arrivals.getOrDefault(node, List.of()));
        // largest first packs best; the key keeps the order stable
        toPlace.sort(Comparator.comparingLong((BoundPod p) -> -requests(p).cpuMillis())
                .thenComparingLong(p -> -requests(p).memoryBytes()).thenComparing(BoundPod::key));
        Map<String, Node> before = new HashMap<>();
        Map<String, List<BoundPod>> placed = new HashMap<>();
        for (BoundPod p : toPlace) {
            String target = place(node, p, to, before);
            if (target == null) {
                room.putAll(before);
                return new PodRules.Blocked(UnremovableReason.NO_PLACE_TO_MOVE_PODS, "pod " + p.key()
                        + " fits no other " + (to == Destinations.ARM64_ONLY ? "arm64 " : "") + "node" + example(node, p, to));
            }
            placed.computeIfAbsent(target, k -> new ArrayList<>()).add(p);
        }
        if (!commit) {
            room.putAll(before);
            return null;
        }
        ledger.draw(pods);
        placed.forEach((target, list) -> arrivals.computeIfAbsent(target, k -> new ArrayList<>()).addAll(list));
        arrivals.remove(node);
        room.remove(node);
        removed.add(node);
        return null;
    }

    private String place(String from, BoundPod p, Destinations to, Map<String, Node> before) {
        Resources need = requests(p);
        for (Node n : room.values()) {
            if (n.name().equals(from) || (to == Destinations.ARM64_ONLY && archOf(n) != Arch.ARM64)
                    || !need.fitsIn(n.free())) {
                continue;
            }
            if (TemplateFit.whyNot(p.pod(), n).isEmpty()) {
                before.putIfAbsent(n.name(), n);
                room.put(n.name(), withRequested(n, n.requested().plus(need)));
                return n.name();
            }
        }
        return null;
    }

    /** Why the pod does not fit the first node it could have gone to, for the operator. */
    private String example(String from, BoundPod p, Destinations to) {
        for (Node n : room.values()) {
            if (!n.name().equals(from) && (to == Destinations.ANY || archOf(n) == Arch.ARM64)) {
                Optional<String> why = TemplateFit.whyNot(p.pod(), n);
                if (why.isPresent()) {
                    return " (" + n.name() + ": " + why.get() + ")";
                }
            }
        }
        return "";
    }

    static Resources requests(BoundPod p) {
        Resources r = p.pod().requests() == null ? Resources.ZERO : p.pod().requests();
        return r.withPods(1);
    }

    static Arch archOf(Node node) {
        return node.arch() != null ? node.arch() : Arch.fromLabel(node.labels().get(NodeTemplate.ARCH_LABEL)).orElse(null);
    }

    private static Node withRequested(Node n, Resources requested) {
        return new Node(n.name(), n.nodeGroup(), n.arch(), n.allocatable(), requested, n.labels(), n.taints(),
                n.unschedulable(), n.ready(), n.created());
    }
}
