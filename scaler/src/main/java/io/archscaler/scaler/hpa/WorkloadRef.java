package io.archscaler.scaler.hpa;

import java.util.Objects;

/** A scalable workload (Deployment, StatefulSet, ReplicaSet) an HPA's {@code scaleTargetRef} names. */
public record WorkloadRef(String namespace, String kind, String name) {
    public WorkloadRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** {@code namespace/Kind/name}. */
    public String key() {
        return namespace + "/" + kind + "/" + name;
    }

    /** {@code Kind/name}, the form of {@code PendingPod.ownerKey}. */
    public String ownerKey() {
        return kind + "/" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
