package io.archscaler.scaler.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at, frozen at one moment.
 *
 * @param daemonSets    one pod template per DaemonSet; its requests are reserved on each new
 *                      node it would run on
 * @param inFlightNodes per group, nodes asked for but not yet registered
 * @param backedOff     groups in backoff after a failed scale-up
 * @param circuitOpen   groups whose cloud circuit breaker is open
 * @param offeringOut   groups whose offering (instance type × zone × capacity type) is marked
 *                      unavailable after a capacity error
 */
public record ClusterSnapshot(List<NodeGroup> nodeGroups, List<Node> nodes, List<PendingPod> pendingPods,
                              List<PendingPod> daemonSets, Map<String, Integer> inFlightNodes,
                              Set<String> backedOff, Set<String> circuitOpen, ClusterLimits limits,
                              Set<String> offeringOut) {
    public ClusterSnapshot {
        nodeGroups = List.copyOf(nodeGroups);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        pendingPods = pendingPods == null ? List.of() : List.copyOf(pendingPods);
        daemonSets = daemonSets == null ? List.of() : List.copyOf(daemonSets);
        inFlightNodes = inFlightNodes == null ? Map.of() : Map.copyOf(inFlightNodes);
        backedOff = backedOff == null ? Set.of() : Set.copyOf(backedOff);
        circuitOpen = circuitOpen == null ? Set.of() : Set.copyOf(circuitOpen);
        limits = limits == null ? ClusterLimits.NONE : limits;
        offeringOut = offeringOut == null ? Set.of() : Set.copyOf(offeringOut);
    }

    /** A snapshot in which no offering is marked unavailable. */
    public ClusterSnapshot(List<NodeGroup> nodeGroups, List<Node> nodes, List<PendingPod> pendingPods,
                           List<PendingPod> daemonSets, Map<String, Integer> inFlightNodes,
                           Set<String> backedOff, Set<String> circuitOpen, ClusterLimits limits) {
        this(nodeGroups, nodes, pendingPods, daemonSets, inFlightNodes, backedOff, circuitOpen, limits, Set.of());
    }
}
