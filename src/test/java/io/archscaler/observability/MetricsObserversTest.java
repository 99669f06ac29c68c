package io.archscaler.observability;

import io.archscaler.cloud.resilience.ProviderCallObserver;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.LookupOutcome;
import io.archscaler.images.ReviewOutcome;
import io.archscaler.kafka.EventSourceObserver;
import io.archscaler.metrics.ArchscalerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsObserversTest {
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void providerCallsAreCountedAndTimedWithTheirNodeGroupAndOutcome() {
        ProviderCallObserver observer = MetricsObservers.providerCalls(metrics);

        observer.onCall("eks", "increaseSize", "arm-general", "InsufficientCapacity", Duration.ofMillis(80));
        observer.onCall("eks", "nodeGroups", "", ProviderCallObserver.SUCCESS, Duration.ofMillis(20));

        assertThat(metrics.scrape()).contains(
                "archscaler_cloud_api_calls_total{node_group=\"arm-general\",operation=\"increaseSize\","
                        + "outcome=\"InsufficientCapacity\",provider=\"eks\"} 1",
                "archscaler_cloud_api_calls_total{node_group=\"\",operation=\"nodeGroups\",outcome=\"success\","
                        + "provider=\"eks\"} 1",
                "archscaler_cloud_api_call_duration_seconds_count{node_group=\"arm-general\",operation=\"increaseSize\","
                        + "provider=\"eks\"} 1");
    }

    @Test
    void imageLookupsAndWebhookReviewsAreCountedByTheirOutcomeWord() {
        ImageLookupObserver observer = MetricsObservers.images(metrics);

        observer.lookedUp("ghcr.io", LookupOutcome.NOT_FOUND, Duration.ofMillis(150));
        observer.lookedUp("ghcr.io", LookupOutcome.HIT, Duration.ZERO);
        observer.reviewed(ReviewOutcome.PATCHED, Duration.ofMillis(30));

        assertThat(metrics.scrape()).contains(
                "archscaler_image_lookups_total{outcome=\"not_found\"} 1",
                "archscaler_image_lookups_total{outcome=\"hit\"} 1",
                "archscaler_image_lookup_duration_seconds_count{outcome=\"not_found\"} 1",
                "archscaler_webhook_reviews_total{outcome=\"patched\"} 1",
                "archscaler_webhook_review_duration_seconds_count{outcome=\"patched\"} 1");
    }

    @Test
    void kafkaEventsAreCountedByTopicAndDeadLettersByReason() {
        EventSourceObserver observer = MetricsObservers.kafka(metrics);

        observer.consumed("archscaler.pod-events");
        observer.consumed("archscaler.pod-events");
        observer.deadLettered("archscaler.pod-events", "not JSON: Unexpected end-of-input within/between Object entries");
        observer.handled("archscaler.pod-events", Duration.ofMillis(4));

        assertThat(metrics.scrape()).contains(
                "archscaler_kafka_events_consumed_total{topic=\"archscaler.pod-events\"} 2",
                "archscaler_kafka_events_dead_lettered_total{reason=\"not_json\",topic=\"archscaler.pod-events\"} 1",
                "archscaler_kafka_event_handling_duration_seconds_count{topic=\"archscaler.pod-events\"} 1");
    }
}
