package io.archscaler.scaler.scaledown;

import java.time.Duration;

/**
 * The scale-down knobs of the {@code scaleDown} config block.
 *
 * @param maxDisruptedNodes how many busy amd64 nodes one plan may drain for consolidation
 *                          (the config's count or share, already applied to the cluster's size)
 */
public record ScaleDownRules(double utilizationThreshold, Duration unneededTime, Duration delayAfterAdd,
                             Duration delayAfterFailure, boolean consolidate, int maxDisruptedNodes) {
    public static final ScaleDownRules DEFAULTS = new ScaleDownRules(0.5, Duration.ofMinutes(10),
            Duration.ofMinutes(10), Duration.ofMinutes(3), false, 1);
}
