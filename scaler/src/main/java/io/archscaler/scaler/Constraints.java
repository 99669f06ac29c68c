package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Toleration;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of a pod, other than its requests, that decide which nodes may take it. */
record Constraints(Map<String, String> nodeSelector, List<NodeSelectorTerm> affinity, List<Toleration> tolerations,
                   Set<Arch> imageArchs) {
    static Constraints of(PendingPod pod) {
        return new Constraints(pod.nodeSelector(), pod.requiredAffinity(), pod.tolerations(), pod.imageArchs());
    }
}
