package io.archscaler.scaler.hpa;

import java.util.List;
import java.util.Objects;

/**
 * An autoscaling/v2 HorizontalPodAutoscaler, reduced to what its replica count depends on.
 *
 * @param minReplicas {@code spec.minReplicas}, 1 when left out
 * @param behavior    {@code spec.behavior} with defaults filled in, or null when the HPA has none:
 *                    the controller then takes its older path (no rate policies, a scale-up limit
 *                    of {@code max(2 × current, 4)} per sync)
 */
public record Hpa(String namespace, String name, WorkloadRef target, int minReplicas, int maxReplicas,
                  List<HpaMetric> metrics, HpaBehavior behavior) {
    public Hpa {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        metrics = List.copyOf(metrics);
        if (minReplicas < 0) {
            throw new IllegalArgumentException("minReplicas must not be negative (got " + minReplicas + ")");
        }
        if (maxReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("maxReplicas must be at least 1 and at least minReplicas (got "
                    + maxReplicas + ", minReplicas " + minReplicas + ")");
        }
    }

    /** {@code namespace/name}, the way metric samples name an HPA. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The metrics a sample named {@code id} feeds (usually one). */
    public List<HpaMetric> metricsNamed(String id) {
        return metrics.stream().filter(m -> m.id().equals(id)).toList();
    }
}
