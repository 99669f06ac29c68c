package io.archscaler.controller;

import io.archscaler.kafka.EventSourceObserver;
import io.archscaler.metrics.ArchscalerMetrics;

import java.util.Locale;

/** Counts what the Kafka source reports, with the dead-letter reason folded into a few words. */
final class KafkaMetrics implements EventSourceObserver {
    private final ArchscalerMetrics metrics;

    KafkaMetrics(ArchscalerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void consumed(String topic) {
        metrics.kafkaConsumed(topic);
    }

    @Override
    public void deadLettered(String topic, String reason) {
        metrics.kafkaDeadLettered(topic, category(reason));
    }

    /** A label value of bounded cardinality for a free-text decode failure. */
    static String category(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("larger than") || r.contains("too large") || r.contains("exceeds")) {
            return "too_large";
        }
        if (r.contains("json") || r.contains("utf-8") || r.contains("nest")) {
            return "not_json";
        }
        return "invalid_event";
    }
}
