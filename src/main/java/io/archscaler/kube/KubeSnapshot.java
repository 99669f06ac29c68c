package io.archscaler.kube;

import io.archscaler.config.NodeGroupConfig;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the planner's {@link ClusterSnapshot} from Kubernetes nodes and pods and the configured
 * groups: bound pods hold room on their nodes, pending pods (not DaemonSet ones) are to be
 * placed, DaemonSets are reserved on new nodes, and a group's target size is its node count.
 */
public final class KubeSnapshot {
    private KubeSnapshot() {
    }

    public static ClusterSnapshot of(List<NodeGroupConfig> groups, ClusterLimits limits,
                                     List<io.fabric8.kubernetes.api.model.Node> kubeNodes, List<Pod> pods) {
        NodeGroupMembership membership = NodeGroupMembership.of(groups);
        Map<String, Resources> requested = new HashMap<>();
        List<PendingPod> pending = new ArrayList<>();
        for (Pod pod : pods) {
            if (KubePods.isBoundAndActive(pod)) {
                requested.merge(pod.getSpec().getNodeName(), KubePods.requests(pod), Resources::plus);
            } else if (KubePods.isPending(pod) && !KubePods.ownedByDaemonSet(pod)) {
                pending.add(KubePods.toPendingPod(pod));
            }
        }
        pending.sort(Comparator.comparing(PendingPod::key));

        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> perGroup = new HashMap<>();
        for (io.fabric8.kubernetes.api.model.Node kn : kubeNodes) {
            Node node = KubeNodes.toNode(kn, membership, requested.getOrDefault(KubeNodes.name(kn), Resources.ZERO));
            nodes.add(node);
            if (node.nodeGroup() != null) {
                perGroup.merge(node.nodeGroup(), 1, Integer::sum);
            }
        }
        List<NodeGroup> nodeGroups = groups.stream()
                .map(g -> g.toNodeGroup(perGroup.getOrDefault(g.name(), 0)))
                .toList();
        return new ClusterSnapshot(nodeGroups, nodes, pending, KubePods.daemonSetTemplates(pods), Map.of(), Set.of(),
                Set.of(), limits);
    }
}
