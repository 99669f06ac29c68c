package io.archscaler.scaler.scaledown;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Since when each node has been unneeded without a break. A node that is missing from one
 * evaluation starts again from zero the next time it is unneeded.
 */
public final class UnneededTracker {
    private final Clock clock;
    private final Map<String, Instant> since = new HashMap<>();

    public UnneededTracker(Clock clock) {
        this.clock = clock;
    }

    /** The nodes unneeded at this evaluation; every other node stops being tracked. */
    public void update(Collection<String> unneeded) {
        Instant now = clock.instant();
        Set<String> keep = new HashSet<>(unneeded);
        since.keySet().retainAll(keep);
        for (String node : keep) {
            since.putIfAbsent(node, now);
        }
    }

    public Optional<Instant> since(String node) {
        return Optional.ofNullable(since.get(node));
    }

    /** How long the node has been unneeded; zero when it is not. */
    public Duration unneededFor(String node) {
        Instant s = since.get(node);
        return s == null ? Duration.ZERO : Duration.between(s, clock.instant());
    }

    public void forget(String node) {
        since.remove(node);
    }

    public void clear() {
        since.clear();
    }

    public Map<String, Instant> all() {
        return Map.copyOf(since);
    }
}
