package io.archscaler.events;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/** The pod is bound to a node ({@code spec.nodeName} set). */
public record PodScheduled(String cluster, Pod pod, Instant observedAt) implements PodEvent {
}
