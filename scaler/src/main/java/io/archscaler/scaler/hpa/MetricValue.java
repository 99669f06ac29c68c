package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.time.Instant;

/** The last value seen of one metric of an HPA, and when it was measured. */
public record MetricValue(BigDecimal value, Instant at) {
}
