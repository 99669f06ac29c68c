package io.archscaler.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every report of an event source, for assertions. */
final class RecordingObserver implements EventSourceObserver {
    final List<String> consumed = new CopyOnWriteArrayList<>();
    final List<String> deadLettered = new CopyOnWriteArrayList<>();
    final List<String> handled = new CopyOnWriteArrayList<>();

    @Override
    public void consumed(String topic) {
        consumed.add(topic);
    }

    @Override
    public void deadLettered(String topic, String reason) {
        deadLettered.add(topic + ": " + reason);
    }

    @Override
    public void handled(String topic, Duration latency) {
        handled.add(topic);
    }
}
