package io.archscaler.scaler.state;

import io.archscaler.scaler.model.NodeGroup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Nodes in flight: the one definition the scale-up planner, scale-down and the status view share.
 * A group's nodes in flight are its target size minus its Ready nodes, less the nodes given up on
 * (they failed to launch, or did not register within {@code maxNodeProvisionTime}) that the
 * cloud's target still counts: those hold no room while the target correction is on its way or if
 * it could not be made. The tracker also remembers when each in-flight node was asked for, oldest
 * first, so the ones that do not register in time are noticed.
 */
public final class ProvisionTracker {
    private final Clock clock;
    private final Duration maxNodeProvisionTime;
    private final Map<String, Deque<Instant>> requested = new HashMap<>();
    private final Map<String, Integer> givenUp = new HashMap<>();

    /** Nodes of {@code group} that were asked for and never came. */
    public record Expired(String group, int nodes, Instant requestedAt) {
    }

    public ProvisionTracker(Clock clock, Duration maxNodeProvisionTime) {
        this.clock = clock;
        this.maxNodeProvisionTime = maxNodeProvisionTime;
    }

    /** {@code targetSize − readyNodes − given up}, never negative: the nodes still expected to come. */
    public int inFlight(String group, int targetSize, int readyNodes) {
        int raw = Math.max(0, targetSize - readyNodes);
        return raw - Math.min(raw, givenUp.getOrDefault(group, 0));
    }

    /** {@link #inFlight(String, int, int)} of every group that has nodes in flight. */
    public Map<String, Integer> inFlight(Collection<NodeGroup> groups, Map<String, Integer> readyNodes) {
        Map<String, Integer> out = new TreeMap<>();
        for (NodeGroup g : groups) {
            int n = inFlight(g.name(), g.targetSize(), readyNodes.getOrDefault(g.name(), 0));
            if (n > 0) {
                out.put(g.name(), n);
            }
        }
        return out;
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
     * {@code nodes} of the group's in-flight nodes will not come: they stop holding room, and their
     * clock stops (the oldest go first).
     */
    public void giveUp(String group, int nodes) {
        if (nodes <= 0) {
            return;
        }
        givenUp.merge(group, nodes, Integer::sum);
        Deque<Instant> q = requested.get(group);
        for (int i = 0; q != null && i < nodes && !q.isEmpty(); i++) {
            q.removeFirst();
        }
    }

    /** The group's target was lowered by {@code nodes} for nodes given up on: it no longer counts them. */
    public void corrected(String group, int nodes) {
        int left = givenUp.getOrDefault(group, 0) - Math.max(0, nodes);
        if (left > 0) {
            givenUp.put(group, left);
        } else {
            givenUp.remove(group);
        }
    }

    /** The nodes given up on that the group's target still counts. */
    public int givenUp(String group) {
        return givenUp.getOrDefault(group, 0);
    }

    /**
     * Brings the record in line with what the provider and the cluster say. Given-up nodes are
     * forgotten as the target stops counting them (it was corrected) or nodes register anyway;
     * requests older than the in-flight nodes left have registered; in-flight nodes never asked
     * for here (a restart or a new leader) start their clock now.
     */
    public void reconcile(String group, int targetSize, int readyNodes) {
        int raw = Math.max(0, targetSize - readyNodes);
        int stillGivenUp = Math.min(raw, givenUp.getOrDefault(group, 0));
        if (stillGivenUp == 0) {
            givenUp.remove(group);
        } else {
            givenUp.put(group, stillGivenUp);
        }
        int inFlight = raw - stillGivenUp;
        Deque<Instant> q = requested.computeIfAbsent(group, g -> new ArrayDeque<>());
        while (q.size() > inFlight) {
            q.removeFirst();
        }
        if (q.size() < inFlight) {
            requested(group, inFlight - q.size());
        }
        if (q.isEmpty()) {
            requested.remove(group);
        }
    }

    /**
     * Gives up on the requests maxNodeProvisionTime old or older and returns them (at
     * {@link #nextExpiry()} exactly, the oldest goes).
     */
    public List<Expired> expire() {
        Instant deadline = clock.instant().minus(maxNodeProvisionTime);
        List<Expired> out = new ArrayList<>();
        requested.forEach((group, q) -> {
            int n = 0;
            Instant oldest = q.peekFirst();
            while (!q.isEmpty() && !q.peekFirst().isAfter(deadline)) {
                q.removeFirst();
                n++;
            }
            if (n > 0) {
                out.add(new Expired(group, n, oldest));
            }
        });
        requested.values().removeIf(Deque::isEmpty);
        out.forEach(e -> givenUp.merge(e.group(), e.nodes(), Integer::sum));
        out.sort((a, b) -> a.group().compareTo(b.group()));
        return out;
    }

    /** When the oldest in-flight node runs out of maxNodeProvisionTime; empty when none is tracked. */
    public Optional<Instant> nextExpiry() {
        Instant oldest = null;
        for (Deque<Instant> q : requested.values()) {
            Instant first = q.peekFirst();
            if (first != null && (oldest == null || first.isBefore(oldest))) {
                oldest = first;
            }
        }
        return Optional.ofNullable(oldest).map(t -> t.plus(maxNodeProvisionTime));
    }

    /** How many in-flight nodes of the group have their clock running. */
    public int tracked(String group) {
        Deque<Instant> q = requested.get(group);
        return q == null ? 0 : q.size();
    }
}
