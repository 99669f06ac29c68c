package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Node;

import java.util.List;
import java.util.Map;

/** A registered node, its annotations and the pods running on it. */
public record NodeWithPods(Node node, Map<String, String> annotations, List<BoundPod> pods) {
    public NodeWithPods {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        pods = pods == null ? List.of() : List.copyOf(pods);
    }

    public String name() {
        return node.name();
    }

    /** Whether the node carries the taint of a drain in progress. */
    public boolean beingDeleted() {
        return node.taints().stream().anyMatch(t -> ScaleDownAnnotations.TO_BE_DELETED_TAINT.equals(t.key()));
    }
}
