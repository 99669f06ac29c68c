package io.archscaler.scaler.readiness;

import java.util.Locale;

/** Whether a workload can move to arm64. */
public enum Verdict {
    /** Every image has an arm64 build and nothing pins the pods to amd64. */
    READY,
    /** An image has no arm64 build, or the pod spec pins amd64. */
    BLOCKED,
    /** Nothing blocks it, but the platforms of some image are not known. */
    UNKNOWN;

    /** {@code ready}, {@code blocked}, {@code unknown}: the word in every output. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
