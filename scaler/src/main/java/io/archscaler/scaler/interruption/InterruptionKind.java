package io.archscaler.scaler.interruption;

import java.util.Locale;

/** What an EventBridge message on the interruption queue tells about EC2 instances. */
public enum InterruptionKind {
    /** EC2 Spot Instance Interruption Warning: the instance is reclaimed two minutes after it. */
    SPOT_INTERRUPTION,
    /** EC2 Instance Rebalance Recommendation: the spot instance is at elevated risk of interruption. */
    REBALANCE_RECOMMENDATION,
    /** AWS Health scheduled change for EC2 (maintenance, retirement) naming the affected instances. */
    SCHEDULED_CHANGE,
    /** EC2 Instance State-change Notification to stopping, stopped, shutting-down or terminated. */
    STATE_CHANGE,
    /** A well-formed message about something not acted on (another state, another Health service). */
    OTHER,
    /** A message that could not be read. */
    MALFORMED;

    /** The metric label and the word in Events and {@code /status}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
