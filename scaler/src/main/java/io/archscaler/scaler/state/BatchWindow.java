package io.archscaler.scaler.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a batch of pending pods closes: after {@code idle} with no new pod, or {@code max} after
 * its first pod, whichever comes first (Karpenter's batcher rule).
 */
public final class BatchWindow {
    private final Duration idle;
    private final Duration max;
    private Instant first;
    private Instant last;
    private int size;

    public BatchWindow(Duration idle, Duration max) {
        this.idle = idle;
        this.max = max;
    }

    /** A pod joined the batch at {@code now}. */
    public void add(Instant now) {
        if (first == null) {
            first = now;
        }
        last = now;
        size++;
    }

    /** When the open batch closes, or empty when no batch is open. */
    public Optional<Instant> closesAt() {
        if (first == null) {
            return Optional.empty();
        }
        Instant byIdle = last.plus(idle);
        Instant byMax = first.plus(max);
        return Optional.of(byIdle.isBefore(byMax) ? byIdle : byMax);
    }

    public boolean isDue(Instant now) {
        return closesAt().map(t -> !now.isBefore(t)).orElse(false);
    }

    /** Closes the batch; returns how many pods joined it. */
    public int close() {
        int n = size;
        first = null;
        last = null;
        size = 0;
        return n;
    }

    /** When the open batch's first pod arrived (to report the batching delay). */
    public Optional<Instant> openedAt() {
        return Optional.ofNullable(first);
    }
}
