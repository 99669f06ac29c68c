package io.archscaler.config;

import java.time.Duration;

/** When idle nodes are removed, and how many at once. */
public record ScaleDownConfig(boolean enabled, double utilizationThreshold, Duration unneededTime,
                              Duration delayAfterAdd, Duration delayAfterFailure, boolean consolidate,
                              NodeBudget maxDisruptedNodes, Duration maxGracefulTermination,
                              int maxScaleDownParallelism) {
    public static final ScaleDownConfig DEFAULTS = new ScaleDownConfig(true, 0.5, Duration.ofMinutes(10),
            Duration.ofMinutes(10), Duration.ofMinutes(3), false, NodeBudget.percent(10), Duration.ofSeconds(600), 10);
}
