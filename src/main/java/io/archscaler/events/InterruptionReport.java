package io.archscaler.events;

import io.archscaler.scaler.interruption.InterruptionKind;
import io.archscaler.scaler.interruption.InterruptionOutcome;

import java.util.List;

/**
 * How one interruption message was handled, instance by instance: the scaler's reply to the
 * queue reader, which deletes the message only when every instance is {@link #settled}.
 */
public record InterruptionReport(String noticeId, InterruptionKind kind, List<Handled> handled) {
    public InterruptionReport {
        handled = List.copyOf(handled);
    }

    /** One instance of the message: its node (empty when none runs it) and the outcome. */
    public record Handled(String instanceId, String node, InterruptionOutcome outcome, String detail) {
    }

    /** Whether the message is done with and may be deleted. */
    public boolean settled() {
        return handled.stream().allMatch(h -> h.outcome().settled());
    }
}
