package io.archscaler.events;

import java.util.List;

/**
 * The pod events of one poll of the pod-event topic, in order per partition; sent on
 * {@link EventAddresses#POD_BATCHES} so a burst costs one request and one reply per poll, not per event.
 * The receiver applies them in order and replies once, after the last.
 */
public record PodEventBatch(List<PodEvent> events) {
    public PodEventBatch {
        events = List.copyOf(events);
    }
}
