package io.archscaler.kafka;

import java.time.Duration;

/** What a Kafka event source reports as it works; the metrics module implements it. Calls must not block. */
public interface EventSourceObserver {
    /** Reports nothing. */
    EventSourceObserver NOOP = new EventSourceObserver() {
    };

    /** A record was taken from {@code topic} (again, when it is redelivered after a failure). */
    default void consumed(String topic) {
    }

    /** A record of {@code topic} could not be read and was written to the dead-letter topic. */
    default void deadLettered(String topic, String reason) {
    }

    /** An event of {@code topic} was applied; {@code latency} runs from the request on the event bus to its reply. */
    default void handled(String topic, Duration latency) {
    }
}
