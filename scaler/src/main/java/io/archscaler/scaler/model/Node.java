package io.archscaler.scaler.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered node and what is already asked of it.
 *
 * @param nodeGroup the group it belongs to, or null when it belongs to none Archscaler manages
 * @param requested the summed requests of the pods bound to it, {@code pods} being their count
 */
public record Node(String name, String nodeGroup, Arch arch, Resources allocatable, Resources requested,
                   Map<String, String> labels, List<Taint> taints, boolean unschedulable, boolean ready,
                   Instant created) {
    public Node {
        labels = Copies.map(labels);
        taints = Copies.list(taints);
    }

    /** What is still free on the node. */
    public Resources free() {
        return allocatable.minus(requested);
    }
}
