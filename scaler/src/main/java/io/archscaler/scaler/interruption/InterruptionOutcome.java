package io.archscaler.scaler.interruption;

import java.util.Locale;

/** How the handling of one instance named by an interruption message ended. */
public enum InterruptionOutcome {
    /** Tainted, cordoned, replacement asked for, pods evicted. */
    REPLACED(true),
    /** Tainted, cordoned, replacement asked for; some pods could not be evicted in time. */
    DRAIN_FAILED(true),
    /** Only an Event and this count (a rebalance recommendation with {@code rebalance: record}). */
    RECORDED(true),
    /** The instance stopped or ended: its Node was deleted, as when it goes away by itself. */
    CLEANED_UP(true),
    /** A warning past its two-minute notice: the instance is gone, so the node is cleaned up, not drained. */
    LATE(true),
    /** The node is already being replaced for an earlier message (a redelivery, or a second kind). */
    DUPLICATE(true),
    /** No node of the cluster runs the instance. */
    UNKNOWN_INSTANCE(true),
    /** The node is in no node group Archscaler manages: left to whoever runs it. */
    UNMANAGED(true),
    /** A well-formed message about something not acted on. */
    IGNORED(true),
    /** The message could not be read: deleted (retrying cannot help) and logged. */
    MALFORMED(true),
    /** The handling failed (an API error): the message is kept, and comes back to be handled again. */
    FAILED(false);

    private final boolean settled;

    InterruptionOutcome(boolean settled) {
        this.settled = settled;
    }

    /** Whether the message is done with and may be deleted from the queue. */
    public boolean settled() {
        return settled;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
