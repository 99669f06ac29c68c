package io.archscaler.scaler.model;

import java.util.Locale;

/**
 * Why pods that could run on arm64 went to an amd64 group: what kept the arm64 group ranked above
 * it from taking them. Declared from the strongest cause to the weakest; when several arm64
 * groups were passed over, the strongest one names the fallback.
 */
public enum FallbackCause {
    /** The group's circuit breaker is open after repeated cloud failures. */
    CIRCUIT_OPEN,
    /** The group is backing off after a failed scale-up. */
    BACKOFF,
    /** The group's offering (instance type × zone × capacity type) had a capacity error lately. */
    OFFERING_UNAVAILABLE,
    /** The group is at its maxSize, or the plan used what room it had below it. */
    MAX_SIZE,
    /** A cluster-wide limit (maxNodesTotal, cores, memory) allows no more of its nodes. */
    CLUSTER_LIMIT,
    /** It could still grow, but what it can open does not hold these pods. */
    NO_FIT;

    /** The value of the {@code reason} label of {@code archscaler_fallbacks_total}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stronger of two causes; null counts as none. */
    public static FallbackCause strongest(FallbackCause a, FallbackCause b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() <= b.ordinal() ? a : b;
    }
}
