package io.archscaler.scaler.caexpander;

import java.util.Locale;

/** Why an option left Cluster Autoscaler's choice. */
public enum DropReason {
    /** A pod's images are not published for the group's architecture (the arm64 case). */
    IMAGE_ARCH,
    /** A pod's own nodeSelector, affinity or tolerations, or its requests, rule out the group's template. */
    POD_CONSTRAINTS,
    /** Another option ranks higher by weight (or is a configured group while this one is not). */
    LOWER_RANK;

    /** The metric label: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
