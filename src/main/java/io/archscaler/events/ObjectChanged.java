package io.archscaler.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Any other watched object (DaemonSet, PodDisruptionBudget, HPA, workload) added, changed or removed. */
public record ObjectChanged(HasMetadata object, boolean deleted) {
}
