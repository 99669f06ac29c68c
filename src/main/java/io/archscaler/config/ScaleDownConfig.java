package io.archscaler.config;

import java.time.Duration;

/**
 * When idle nodes are removed, and how many at once: the {@code scaleDown} block, its keys grouped
 * by what they govern (the flat accessors keep the keys' names).
 *
 * @param restore moving pods back to arm64
 */
public record ScaleDownConfig(boolean enabled, Candidates candidates, Delays delays, Removal removal,
                              RestoreConfig restore) {
    public static final ScaleDownConfig DEFAULTS = new ScaleDownConfig(true,
            new Candidates(0.5, false, NodeBudget.percent(10)),
            new Delays(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(3)),
            new Removal(Duration.ofSeconds(600), 10), RestoreConfig.DEFAULTS);

    /**
     * Which nodes are unneeded: those below {@code utilizationThreshold}, and with {@code consolidate}
     * busy amd64 nodes whose pods fit free arm64 room, at most {@code maxDisruptedNodes} in one plan.
     */
    public record Candidates(double utilizationThreshold, boolean consolidate, NodeBudget maxDisruptedNodes) {
    }

    /**
     * How long a node stays unneeded before it goes ({@code unneededTime}), and how long it is left
     * alone after its creation or its group's scale-up ({@code delayAfterAdd}) and after its
     * scale-down failed ({@code delayAfterFailure}).
     */
    public record Delays(Duration unneededTime, Duration delayAfterAdd, Duration delayAfterFailure) {
    }

    /**
     * How nodes go: their pods get at most {@code maxGracefulTermination} to stop, and up to
     * {@code maxScaleDownParallelism} empty nodes go at once.
     */
    public record Removal(Duration maxGracefulTermination, int maxScaleDownParallelism) {
    }

    /** The same settings with other delays. */
    public ScaleDownConfig withDelays(Delays other) {
        return new ScaleDownConfig(enabled, candidates, other, removal, restore);
    }

    public double utilizationThreshold() {
        return candidates.utilizationThreshold();
    }

    public boolean consolidate() {
        return candidates.consolidate();
    }

    public NodeBudget maxDisruptedNodes() {
        return candidates.maxDisruptedNodes();
    }

    public Duration unneededTime() {
        return delays.unneededTime();
    }

    public Duration delayAfterAdd() {
        return delays.delayAfterAdd();
    }

    public Duration delayAfterFailure() {
        return delays.delayAfterFailure();
    }

    public Duration maxGracefulTermination() {
        return removal.maxGracefulTermination();
    }

    public int maxScaleDownParallelism() {
        return removal.maxScaleDownParallelism();
    }
}
