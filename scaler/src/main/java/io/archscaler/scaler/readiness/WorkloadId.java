package io.archscaler.scaler.readiness;

import java.util.Comparator;

/**
 * A workload as Kubernetes names it: {@code Deployment shop/web}, or a bare pod as {@code Pod shop/debug}.
 *
 * @param kind the kind of the owner at the top of the pod's owner chain (Deployment, StatefulSet,
 *             DaemonSet, Job, ReplicaSet, Pod, or whatever controller owns it)
 */
public record WorkloadId(String namespace, String kind, String name) implements Comparable<WorkloadId> {
    private static final Comparator<WorkloadId> ORDER = Comparator.comparing(WorkloadId::namespace)
            .thenComparing(WorkloadId::kind).thenComparing(WorkloadId::name);

    /** {@code Deployment shop/web}. */
    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }

    @Override
    public int compareTo(WorkloadId o) {
        return ORDER.compare(this, o);
    }
}
