package io.archscaler.scaler;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A workload's {@code archscaler.io/max-spot-ratio}: the largest share of its replicas that may run on
 * spot nodes, and the rule that says whether one more of its pods may go to spot.
 */
public record SpotRatio(BigDecimal max) {
    /** The annotation on a Deployment or StatefulSet that sets the ratio. */
    public static final String ANNOTATION = "archscaler.io/max-spot-ratio";

    public SpotRatio {
        Objects.requireNonNull(max, "max");
        if (max.signum() < 0 || max.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("max-spot-ratio must be between 0 and 1, got " + max.toPlainString());
        }
    }

    /**
     * Reads an annotation value such as {@code "0.7"}; fails with a message fit for an Event when it is
     * not a number in [0, 1]. Decimal, not double, so that {@code 0.29 × 100} is 29 and not 28.
     */
    public static SpotRatio parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(ANNOTATION + " is empty; expected a number between 0 and 1");
        }
        BigDecimal max;
        try {
            max = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ANNOTATION + " \"" + value + "\" is not a number between 0 and 1");
        }
        return new SpotRatio(max);
    }

    /** How many of {@code replicas} may run on spot: {@code floor(max × replicas)}. */
    public int maxOnSpot(int replicas) {
        if (replicas <= 0) {
            return 0;
        }
        return max.multiply(BigDecimal.valueOf(replicas)).setScale(0, RoundingMode.FLOOR).intValueExact();
    }

    /**
     * Whether one more pod may go to spot while {@code onSpot} of the workload's pods run there and
     * {@code inFlight} more are not yet bound but may still land on spot: only if all of them together
     * with this one stay within {@link #maxOnSpot(int)}.
     */
    public boolean allowsSpot(int replicas, int onSpot, int inFlight) {
        return (long) Math.max(0, onSpot) + Math.max(0, inFlight) + 1 <= maxOnSpot(replicas);
    }
}
