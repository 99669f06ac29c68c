package io.archscaler.scaler.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers when each in-flight node of a group was asked for, so nodes that do not register
 * within {@code maxNodeProvisionTime} are noticed. How many nodes are in flight is derived
 * (target size minus registered nodes); this only keeps their ages, oldest first.
 */
public final class ProvisionTracker {
    private final Clock clock;
    private final Duration maxNodeProvisionTime;
    private final Map<String, Deque<Instant>> requested = new HashMap<>();

    /** Nodes of {@code group} that were asked for and never came. */
    public record Expired(String group, int nodes, Instant requestedAt) {
    }

    public ProvisionTracker(Clock clock, Duration maxNodeProvisionTime) {
        this.clock = clock;
        this.maxNodeProvisionTime = maxNodeProvisionTime;
    }

    /** {@code delta} nodes of the group were asked for now. */
    public void requested(String group, int delta) {
        Deque<Instant> q = requested.computeIfAbsent(group, g -> new ArrayDeque<>());
        Instant now = clock.instant();
        for (int i = 0; i < delta; i++) {
            q.addLast(now);
        }
    }

    /**
     * Brings the record in line with what the provider and the cluster say: {@code inFlight}
     * nodes of the group are still unregistered, so older requests beyond that have registered.
     */
    public void reconcile(String group, int inFlight) {
        Deque<Instant> q = requested.get(group);
        if (q == null) {
            if (inFlight > 0) {
                // in flight before we knew (a restart or a new leader): start their clock now
                requested(group, inFlight);
            }
            return;
        }
        while (q.size() > Math.max(0, inFlight)) {
            q.removeFirst();
        }
        if (q.size() < inFlight) {
            requested(group, inFlight - q.size());
        }
        if (q.isEmpty()) {
            requested.remove(group);
        }
    }

    /** Removes and returns the requests older than maxNodeProvisionTime. */
    public List<Expired> expire() {
        Instant deadline = clock.instant().minus(maxNodeProvisionTime);
        List<Expired> out = new ArrayList<>();
        requested.forEach((group, q) -> {
            int n = 0;
            Instant oldest = q.peekFirst();
            while (!q.isEmpty() && q.peekFirst().isBefore(deadline)) {
                q.removeFirst();
                n++;
            }
            if (n > 0) {
                out.add(new Expired(group, n, oldest));
            }
        });
        requested.values().removeIf(Deque::isEmpty);
        out.sort((a, b) -> a.group().compareTo(b.group()));
        return out;
    }

    public int inFlight(String group) {
        Deque<Instant> q = requested.get(group);
        return q == null ? 0 : q.size();
    }
}
