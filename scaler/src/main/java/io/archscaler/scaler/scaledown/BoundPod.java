package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.PendingPod;

import java.util.Map;

/**
 * A pod running on a node, with what decides whether it may be moved elsewhere.
 *
 * @param pod          its scheduling constraints and requests, as a pending copy of it would have them
 * @param daemonSet    owned by a DaemonSet: it runs on every node anyway, so it neither counts nor moves
 * @param localVolumes names of its volumes that keep data on the node (emptyDir not in memory,
 *                     hostPath), each with its kind
 */
public record BoundPod(PendingPod pod, Map<String, String> labels, Map<String, String> annotations,
                       boolean daemonSet, Map<String, String> localVolumes) {
    public BoundPod {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        localVolumes = localVolumes == null ? Map.of() : Map.copyOf(localVolumes);
    }

    /** A static pod's mirror: the kubelet owns it. */
    public boolean mirror() {
        return annotations.containsKey(ScaleDownAnnotations.MIRROR);
    }

    /** Pods that stay with the node and are ignored by scale-down: DaemonSet and mirror pods. */
    public boolean staysWithNode() {
        return !DrainRules.evicts(daemonSet, annotations);
    }

    public String key() {
        return pod.key();
    }
}
