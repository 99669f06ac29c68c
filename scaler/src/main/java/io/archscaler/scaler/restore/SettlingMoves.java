package io.archscaler.scaler.restore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Moves that finished but whose pods have not all come back bound yet. Between a node's removal
 * and its workloads' controllers making the evicted pods' replacements, the arm64 room meant for
 * them looks free, and a scan would book it for the next move; so no restore scan runs while a
 * finished move settles: until each workload it evicted from has as many pods bound as before
 * the drain, or for at most {@link #LIMIT} (a workload scaled down meanwhile never gets back).
 */
public final class SettlingMoves {
    /**
     * A ReplicaSet controller makes replacements within seconds and the scheduler binds them within
     * seconds more; pods it cannot place are pending, and pending pods hold scans on their own.
     */
    public static final Duration LIMIT = Duration.ofMinutes(1);

    /**
     * One finished move.
     *
     * @param node        the node it emptied
     * @param boundBefore for each workload it evicted pods of ({@code namespace/Kind/name}), its pods
     *                    bound anywhere just before the drain
     * @param finished    when the node was removed
     */
    public record Settling(String node, Map<String, Integer> boundBefore, Instant finished) {
        public Settling {
            boundBefore = Map.copyOf(boundBefore);
        }

        boolean settled(Map<String, Integer> boundNow, Instant now) {
            return !now.isBefore(finished.plus(LIMIT)) || boundBefore.entrySet().stream()
                    .allMatch(e -> boundNow.getOrDefault(e.getKey(), 0) >= e.getValue());
        }
    }

    private final List<Settling> settling = new ArrayList<>();

    /** A move finished; a move whose node ran no workload pods settles at once and is not kept. */
    public void finished(Settling move) {
        if (!move.boundBefore().isEmpty()) {
            settling.add(move);
        }
    }

    /** The workloads whose bound pods {@link #holds} needs counted. */
    public Set<String> workloads() {
        Set<String> keys = new TreeSet<>();
        settling.forEach(s -> keys.addAll(s.boundBefore().keySet()));
        return keys;
    }

    /**
     * Forgets the moves that settled by {@code now}, given each workload's pods bound now; true while
     * one has not, and restore scans wait.
     */
    public boolean holds(Map<String, Integer> boundNow, Instant now) {
        settling.removeIf(s -> s.settled(boundNow, now));
        return !settling.isEmpty();
    }

    /** The nodes of the moves still settling, for {@code /status}. */
    public List<String> nodes() {
        return settling.stream().map(Settling::node).toList();
    }
}
