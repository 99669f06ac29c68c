package io.archscaler.events;

import io.fabric8.kubernetes.api.model.Node;

import java.time.Instant;

/** A node was added, changed or (with {@code deleted}) removed; sent on {@link EventAddresses#NODES}. */
public record NodeChanged(Node node, boolean deleted, Instant observedAt) {
}
