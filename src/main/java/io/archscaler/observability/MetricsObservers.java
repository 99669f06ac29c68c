package io.archscaler.observability;

import io.archscaler.cloud.resilience.ProviderCallObserver;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.LookupOutcome;
import io.archscaler.images.ReviewOutcome;
import io.archscaler.kafka.EventSourceObserver;
import io.archscaler.metrics.ArchscalerMetrics;

import java.time.Duration;

/** The observers the providers, the image resolver and the Kafka source report to, recording on Archscaler's meters. */
public final class MetricsObservers {
    private MetricsObservers() {
    }

    /** For {@code MeteredNodeGroupProvider}: every cloud call with its node group, outcome and duration. */
    public static ProviderCallObserver providerCalls(ArchscalerMetrics metrics) {
        return metrics::cloudApiCall;
    }

    /** Image lookups and placement-webhook reviews, by outcome, with how long they took. */
    public static ImageLookupObserver images(ArchscalerMetrics metrics) {
        return new ImageLookupObserver() {
            @Override
            public void lookedUp(String registry, LookupOutcome outcome, Duration elapsed) {
                metrics.imageLookup(outcome.word(), elapsed);
            }

            @Override
            public void reviewed(ReviewOutcome outcome, Duration elapsed) {
                metrics.webhookReview(outcome.word(), elapsed);
            }
        };
    }

    /** Kafka events consumed, dead-lettered and handled, by topic. */
    public static EventSourceObserver kafka(ArchscalerMetrics metrics) {
        return new EventSourceObserver() {
            @Override
            public void consumed(String topic) {
                metrics.kafkaConsumed(topic);
            }

            @Override
            public void deadLettered(String topic, String reason) {
                metrics.kafkaDeadLettered(topic, deadLetterCategory(reason));
            }

            @Override
            public void handled(String topic, Duration latency) {
                metrics.kafkaHandled(topic, latency);
            }
        };
    }

    /** A label value of bounded cardinality for a free-text decode failure. */
    static String deadLetterCategory(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("larger than") || r.contains("too large") || r.contains("exceeds")) {
            return "too_large";
        }
        if (r.contains("json") || r.contains("utf-8") || r.contains("nest")) {
            return "not_json";
        }
        return "invalid_event";
    }
}
