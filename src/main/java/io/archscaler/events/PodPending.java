package io.archscaler.events;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/** The scheduler found no node for the pod ({@code PodScheduled=False, reason Unschedulable}). */
public record PodPending(String cluster, Pod pod, Instant observedAt) implements PodEvent {
}
