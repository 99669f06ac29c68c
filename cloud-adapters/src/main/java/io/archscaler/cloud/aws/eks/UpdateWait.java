package io.archscaler.cloud.aws.eks;

import java.time.Duration;

/**
 * How long to wait on a node group that is busy with an earlier update ({@code UPDATING}, or
 * EKS answering {@code ResourceInUseException}): up to {@code maxChecks} describes, the pause
 * between them doubling from {@code firstDelay} up to {@code maxDelay}.
 */
public record UpdateWait(int maxChecks, Duration firstDelay, Duration maxDelay) {
    /** Six checks over about a minute: 2s, 4s, 8s, 16s, 30s. */
    public static final UpdateWait DEFAULT = new UpdateWait(6, Duration.ofSeconds(2), Duration.ofSeconds(30));

    public UpdateWait {
        if (maxChecks < 1) {
            throw new IllegalArgumentException("updateWait.maxChecks: must be at least 1, was " + maxChecks);
        }
        if (firstDelay == null || firstDelay.isNegative() || maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("updateWait: need 0 <= firstDelay <= maxDelay, was firstDelay="
                    + firstDelay + " maxDelay=" + maxDelay);
        }
    }

    /** The pause after check number {@code check} (0-based). */
    public Duration delayAfter(int check) {
        Duration d = firstDelay;
        for (int i = 0; i < check && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
