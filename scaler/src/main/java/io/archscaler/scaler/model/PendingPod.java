package io.archscaler.scaler.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod the planner must find room for, reduced to what scheduling depends on.
 *
 * @param requests    effective requests (containers summed, init containers by the max rule,
 *                    overhead added; {@code pods} is 1), see {@code PodRequests}
 * @param imageArchs  the architectures every image of the pod is published for, or null when
 *                    unknown (not looked up, or the lookup failed)
 * @param ownerKey    {@code Kind/name} of the controlling owner, or null for a bare pod
 */
public record PendingPod(String namespace, String name, Resources requests, Map<String, String> nodeSelector,
                         List<NodeSelectorTerm> requiredAffinity, List<Toleration> tolerations,
                         Set<Arch> imageArchs, String ownerKey) {
    public PendingPod {
        nodeSelector = Copies.map(nodeSelector);
        requiredAffinity = Copies.list(requiredAffinity);
        tolerations = Copies.list(tolerations);
        imageArchs = imageArchs == null ? null : Set.copyOf(imageArchs);
    }

    /** {@code namespace/name}, the way pods are named in plans and events. */
    public String key() {
        return namespace + "/" + name;
    }

    public PendingPod withImageArchs(Set<Arch> archs) {
        return new PendingPod(namespace, name, requests, nodeSelector, requiredAffinity, tolerations, archs, ownerKey);
    }
}
