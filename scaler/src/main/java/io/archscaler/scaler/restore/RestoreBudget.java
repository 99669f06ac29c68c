package io.archscaler.scaler.restore;

import java.time.Duration;

/**
 * How much moving toward arm64 may happen: nodes moving at once, moves started per interval, and
 * the least saving per hour worth a move.
 */
public record RestoreBudget(int maxNodes, int perInterval, Duration interval, double minSavingPerHour) {
    public static final RestoreBudget DEFAULTS = new RestoreBudget(1, 5, Duration.ofHours(1), 0.0);

    public RestoreBudget {
        if (maxNodes < 0 || perInterval < 0) {
            throw new IllegalArgumentException("maxNodes and perInterval must not be negative");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (!Double.isFinite(minSavingPerHour) || minSavingPerHour < 0) {
            throw new IllegalArgumentException("minSavingPerHour must be a number from 0");
        }
    }
}
