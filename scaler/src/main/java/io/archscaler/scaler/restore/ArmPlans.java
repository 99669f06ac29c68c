package io.archscaler.scaler.restore;

import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scale-up planner asked where moving pods would go, so a move uses the planner's own
 * packing, ranking, DaemonSet reservation and limits. Pods that must find room first (pending
 * pods, pods of nodes being drained) are always planned with the movers, so no room is counted
 * twice; what a move needs is the difference it makes to that plan.
 */
final class ArmPlans {
    private final Planner planner = new Planner();
    private final ClusterSnapshot world;
    private final ClusterSnapshot open;
    private final List<PendingPod> basePods;
    private final Map<String, NodeGroup> groups = new HashMap<>();

    /**
     * @param untrusted groups not to grow for a move (their circuit waits on a probe), beside
     *                  those the snapshot already has in backoff or with an open circuit
     * @param cordoned  nodes whose room no pod may take (the nodes being emptied)
     * @param basePods  pods that find room before any move
     */
    ArmPlans(ClusterSnapshot snapshot, Set<String> untrusted, Set<String> cordoned, List<PendingPod> basePods) {
        snapshot.nodeGroups().forEach(g -> groups.put(g.name(), g));
        Set<String> circuits = new HashSet<>(snapshot.circuitOpen());
        circuits.addAll(untrusted);
        List<Node> nodes = new ArrayList<>();
        for (Node n : snapshot.nodes()) {
            nodes.add(cordoned.contains(n.name()) && !n.unschedulable() ? cordon(n) : n);
        }
        this.world = new ClusterSnapshot(snapshot.nodeGroups(), nodes, List.of(), snapshot.daemonSets(),
                snapshot.inFlightNodes(), snapshot.backedOff(), circuits, snapshot.limits(),
                snapshot.offeringOut());
        List<NodeGroup> unbounded = snapshot.nodeGroups().stream().map(ArmPlans::unbounded).toList();
        this.open = new ClusterSnapshot(unbounded, List.of(), List.of(), snapshot.daemonSets(), Map.of(), Set.of(),
                Set.of(), ClusterLimits.NONE);
        this.basePods = List.copyOf(basePods);
    }

    /** The pods as arm64-only: how a move plans them, whatever else they could run on. */
    static PendingPod onArm64(PendingPod pod) {
        return pod.withImageArchs(Set.of(Arch.ARM64));
    }

    /** The plan of the base pods and the movers (already made arm64-only). */
    Placement place(List<PendingPod> movers) {
        List<PendingPod> pending = new ArrayList<>(basePods);
        pending.addAll(movers);
        return new Placement(planner.plan(withPending(world, pending)));
    }

    /**
     * Whether the planner's ranking alone puts every one of the pods on arm64: planned as pending on
     * an empty cluster where every group can grow without limit, nothing in backoff.
     */
    boolean rankedOnArm64(List<PendingPod> pods) {
        ScalePlan plan = planner.plan(withPending(open, pods));
        return plan.unschedulable().isEmpty() && plan.scaleUps().stream().allMatch(u -> u.arch() == Arch.ARM64);
    }

    double pricePerHour(String group) {
        NodeGroup g = groups.get(group);
        return g == null ? 0 : Math.max(0, g.pricePerHour());
    }

    /** One plan of the base pods and some movers. */
    record Placement(ScalePlan plan) {
        /** New nodes per group. */
        Map<String, Integer> newNodes() {
            Map<String, Integer> out = new HashMap<>();
            plan.scaleUps().forEach(u -> out.merge(u.nodeGroup(), u.delta(), Integer::sum));
            return out;
        }

        /** The first of the pods the plan finds no room for, if any. */
        Optional<Unschedulable> unschedulable(Set<String> pods) {
            return plan.unschedulable().stream().filter(u -> pods.contains(u.pod())).findFirst();
        }

        /** The scale-up of the group, if the plan has one. */
        Optional<ScaleUp> scaleUp(String group) {
            return plan.scaleUps().stream().filter(u -> u.nodeGroup().equals(group)).findFirst();
        }
    }

    private static ClusterSnapshot withPending(ClusterSnapshot s, List<PendingPod> pods) {
        return new ClusterSnapshot(s.nodeGroups(), s.nodes(), pods, s.daemonSets(), s.inFlightNodes(), s.backedOff(),
                s.circuitOpen(), s.limits(), s.offeringOut());
    }

    private static Node cordon(Node n) {
        return new Node(n.name(), n.nodeGroup(), n.arch(), n.allocatable(), n.requested(), n.labels(), n.taints(),
                true, n.ready(), n.created());
    }

    private static NodeGroup unbounded(NodeGroup g) {
        return new NodeGroup(g.name(), g.provider(), g.arch(), 0, Integer.MAX_VALUE, 0, g.weight(), g.instanceType(),
                g.pricePerHour(), g.template(), g.capacityType());
    }
}
