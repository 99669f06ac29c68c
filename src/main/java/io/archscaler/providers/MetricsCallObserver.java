package io.archscaler.providers;

import io.archscaler.cloud.resilience.ProviderCallObserver;
import io.archscaler.metrics.ArchscalerMetrics;

import java.time.Duration;
import java.util.Objects;

/** Records every provider call as {@code archscaler_cloud_api_calls} and its duration, by provider, operation and outcome. */
public final class MetricsCallObserver implements ProviderCallObserver {
    private final ArchscalerMetrics metrics;

    public MetricsCallObserver(ArchscalerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void onCall(String provider, String operation, String nodeGroup, String outcome, Duration duration) {
        metrics.cloudApiCall(provider, operation, outcome, duration);
    }
}
