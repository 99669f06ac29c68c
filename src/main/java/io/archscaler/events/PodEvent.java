package io.archscaler.events;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/**
 * A change of one pod, from an informer (sent on {@link EventAddresses#PODS}) or from the
 * pod-event topic (in a {@link PodEventBatch}). The receiver replies once the event is applied, so
 * a Kafka source commits its offset only after that reply.
 */
public sealed interface PodEvent permits PodPending, PodScheduled, PodDeleted {
    String cluster();

    Pod pod();

    /** When the source saw the change (the record's timestamp for Kafka). */
    Instant observedAt();

    /** {@code namespace/name}. */
    default String podKey() {
        return pod().getMetadata().getNamespace() + "/" + pod().getMetadata().getName();
    }
}
