package io.archscaler.scaler.caexpander;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;

import java.util.List;
import java.util.Objects;

/**
 * One scale-up option as Cluster Autoscaler offers it: a node group, how many nodes, the pods they
 * are for, and the template node of the group.
 *
 * @param nodeGroupId CA's id of the node group (an ASG name, {@code MachineDeployment/ns/name}, …)
 * @param template    the group's template node as CA sent it, or null when CA sent none
 * @param configured  the Archscaler node group the option maps to, or null when none does
 */
public record ScaleUpOption(String nodeGroupId, int nodeCount, List<PendingPod> pods, NodeTemplate template,
                            NodeGroup configured) {
    public ScaleUpOption {
        Objects.requireNonNull(nodeGroupId, "nodeGroupId");
        pods = List.copyOf(pods);
    }
}
