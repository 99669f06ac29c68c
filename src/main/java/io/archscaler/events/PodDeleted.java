package io.archscaler.events;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/** The pod is gone, or finished (phase Succeeded or Failed) and holds no resources. */
public record PodDeleted(String cluster, Pod pod, Instant observedAt) implements PodEvent {
}
