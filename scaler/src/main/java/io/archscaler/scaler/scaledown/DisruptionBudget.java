package io.archscaler.scaler.scaledown;

/**
 * A PodDisruptionBudget as eviction sees it: the pods it selects in its namespace, and how many
 * of them may be evicted now ({@code status.disruptionsAllowed}, kept by the disruption controller).
 *
 * @param selector null when the budget has no selector, which selects no pod
 */
public record DisruptionBudget(String namespace, String name, LabelSelector selector, int disruptionsAllowed) {

    public boolean covers(BoundPod pod) {
        return selector != null && namespace.equals(pod.pod().namespace()) && selector.matches(pod.labels());
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
