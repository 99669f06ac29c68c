package io.archscaler.scaler.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exponential backoff of node groups after failed scale-ups: {@code initial} doubling up to
 * {@code max}; a success, or a quiet period of {@code max} after the last failure, resets it.
 */
public final class GroupBackoff {
    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new HashMap<>();

    /** Why and until when a group is backed off. */
    public record Entry(int failures, Instant until, Instant lastFailure, String reason) {
    }

    public GroupBackoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** Records a failed scale-up and returns the new backoff. */
    public Entry failed(String group, String reason) {
        Instant now = clock.instant();
        Entry previous = entries.get(group);
        int failures = previous == null || isStale(previous, now) ? 1 : previous.failures() + 1;
        Duration wait = initial.multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(max) > 0 || wait.isNegative()) {
            wait = max;
        }
        Entry entry = new Entry(failures, now.plus(wait), now, reason);
        entries.put(group, entry);
        return entry;
    }

    public void succeeded(String group) {
        entries.remove(group);
    }

    public boolean isBackedOff(String group) {
        Entry e = entries.get(group);
        return e != null && clock.instant().isBefore(e.until());
    }

    /** The groups in backoff now, sorted. */
    public Set<String> backedOff() {
        Instant now = clock.instant();
        Set<String> out = new TreeSet<>();
        entries.forEach((g, e) -> {
            if (now.isBefore(e.until())) {
                out.add(g);
            }
        });
        return out;
    }

    public Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    private boolean isStale(Entry e, Instant now) {
        return now.isAfter(e.until().plus(max));
    }
}
