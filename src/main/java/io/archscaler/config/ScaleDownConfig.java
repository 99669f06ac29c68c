package io.archscaler.config;

import java.time.Duration;

/** When idle nodes are removed, and how many at once; {@code restore}: moving pods back to arm64. */
public record ScaleDownConfig(boolean enabled, double utilizationThreshold, Duration unneededTime,
                              Duration delayAfterAdd, Duration delayAfterFailure, boolean consolidate,
                              NodeBudget maxDisruptedNodes, Duration maxGracefulTermination,
                              int maxScaleDownParallelism, RestoreConfig restore) {
    public static final ScaleDownConfig DEFAULTS = new ScaleDownConfig(true, 0.5, Duration.ofMinutes(10),
            Duration.ofMinutes(10), Duration.ofMinutes(3), false, NodeBudget.percent(10), Duration.ofSeconds(600), 10);

    /** With the default restore settings. */
    public ScaleDownConfig(boolean enabled, double utilizationThreshold, Duration unneededTime, Duration delayAfterAdd,
                           Duration delayAfterFailure, boolean consolidate, NodeBudget maxDisruptedNodes,
                           Duration maxGracefulTermination, int maxScaleDownParallelism) {
        this(enabled, utilizationThreshold, unneededTime, delayAfterAdd, delayAfterFailure, consolidate,
                maxDisruptedNodes, maxGracefulTermination, maxScaleDownParallelism, RestoreConfig.DEFAULTS);
    }

    public ScaleDownConfig {
        restore = restore == null ? RestoreConfig.DEFAULTS : restore;
    }
}
