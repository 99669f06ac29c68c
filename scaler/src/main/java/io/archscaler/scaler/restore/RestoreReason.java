package io.archscaler.scaler.restore;

import java.util.Locale;

/** Why an amd64 node's pods move to arm64, as a low-cardinality metric label. */
public enum RestoreReason {
    /**
     * The groups' own ranking puts its pods on arm64: they sit on amd64 only because arm64 was
     * skipped when they were placed (backoff, open circuit, maxSize, a cluster limit), and arm64
     * can take them again.
     */
    RESTORE,
    /** The ranking would keep them on amd64, but new arm64 nodes cost less ({@code consolidate: true}). */
    REPLACE;

    /** The word used in metrics, events and {@code plan}: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
