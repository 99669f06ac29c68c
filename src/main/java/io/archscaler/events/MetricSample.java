package io.archscaler.events;

import java.time.Instant;

/** A new value of one metric of an HPA (autoscaling/v2); sent on {@link EventAddresses#METRICS}. */
public record MetricSample(String cluster, String namespace, String hpa, String metric, double value,
                           Instant timestamp) {
}
