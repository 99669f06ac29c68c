package io.archscaler.scaler.restore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Moves whose evicted pods have not all come back bound yet. From a drain's evictions to its
 * workloads' controllers making the replacements (whether the node is removed by then or not),
 * the arm64 room meant for them looks free, and a scan would book it for the next move; so no
 * restore scan runs while a move drains or settles: until each workload it evicted from has as
 * many pods bound as before the drain, or for at most {@link #LIMIT} from the drain's start or
 * the move's end (a workload scaled down meanwhile never gets back).
 */
public final class SettlingMoves {
    /**
     * A ReplicaSet controller makes replacements within seconds and the scheduler binds them within
     * seconds more; pods it cannot place are pending, and pending pods hold scans on their own.
     */
    public static final Duration LIMIT = Duration.ofMinutes(1);

    /**
     * One move draining or finished.
     *
     * @param node        the node it empties
     * @param boundBefore for each workload it evicts pods of ({@code namespace/Kind/name}), its pods
     *                    bound anywhere just before the drain
     * @param since       when the drain began (a move draining) or the move ended (a finished one)
     */
    public record Settling(String node, Map<String, Integer> boundBefore, Instant since) {
        public Settling {
            boundBefore = Map.copyOf(boundBefore);
        }

        boolean settled(Map<String, Integer> boundNow, Instant now) {
            return !now.isBefore(since.plus(LIMIT)) || boundBefore.entrySet().stream()
                    .allMatch(e -> boundNow.getOrDefault(e.getKey(), 0) >= e.getValue());
        }
    }

    private final List<Settling> settling = new ArrayList<>();
    private final Map<String, Settling> draining = new LinkedHashMap<>();

    /** A move starts evicting its node's pods; one whose node runs no workload pods never holds. */
    public void draining(Settling move) {
        if (!move.boundBefore().isEmpty()) {
            draining.put(move.node(), move);
        }
    }

    /**
     * A move ended: its node removed, or its drain failed and the node is back in service (the pods
     * it evicted come back all the same); one whose node ran no workload pods settles at once.
     */
    public void finished(Settling move) {
        draining.remove(move.node());
        if (!move.boundBefore().isEmpty()) {
            settling.add(move);
        }
    }

    /** The workloads whose bound pods {@link #holds} needs counted. */
    public Set<String> workloads() {
        Set<String> keys = new TreeSet<>();
        settling.forEach(s -> keys.addAll(s.boundBefore().keySet()));
        draining.values().forEach(s -> keys.addAll(s.boundBefore().keySet()));
        return keys;
    }

    /**
     * Forgets the finished moves that settled by {@code now}, given each workload's pods bound now;
     * true while one has not, or a draining move's evicted pods are not all bound again, and
     * restore scans wait.
     */
    public boolean holds(Map<String, Integer> boundNow, Instant now) {
        settling.removeIf(s -> s.settled(boundNow, now));
        return !settling.isEmpty() || draining.values().stream().anyMatch(d -> !d.settled(boundNow, now));
    }

    /** The nodes of the moves still settling, for {@code /status}. */
    public List<String> nodes() {
        return settling.stream().map(Settling::node).toList();
    }
}
