package io.archscaler.scaler.hpa;

/**
 * The replicas an HPA's {@code status} reports; either may be absent (an HPA the controller has not
 * acted on yet).
 *
 * @param current {@code status.currentReplicas}
 * @param desired {@code status.desiredReplicas}
 */
public record ReplicaStatus(Integer current, Integer desired) {
    /** An HPA with no status yet. */
    public static final ReplicaStatus NONE = new ReplicaStatus(null, null);
}
