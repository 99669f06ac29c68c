package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.NodeGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How planned removals are carried out: which pods a drain evicts, in which waves a scan's removals
 * go, when a removal no longer holds, and what a new leader does with a drain an old one left.
 */
public final class DrainRules {
    /** What a new leader does with a node an old leader left tainted for deletion. */
    public enum LeftBehind {
        /** Nothing left to evict and its group may shrink: the instance is deleted. */
        FINISH,
        /** The plan that chose it is stale: uncordoned, and chosen again if still unneeded after unneededTime. */
        UNDO
    }

    private DrainRules() {
    }

    /** A drain evicts every pod but DaemonSet and mirror pods, which stay with the node. */
    public static boolean evicts(boolean daemonSet, Map<String, String> annotations) {
        boolean mirror = annotations != null && annotations.containsKey(ScaleDownAnnotations.MIRROR);
        return !daemonSet && !mirror;
    }

    /**
     * The removals of one scan in the waves they are carried out in, one wave after the other: runs
     * of empty nodes together, up to {@code maxParallelism} at a time, and at most one node with
     * pods, after which the scan stops so the next one plans on what its drain left.
     */
    public static List<List<Removal>> waves(List<Removal> removals, int maxParallelism) {
        List<List<Removal>> waves = new ArrayList<>();
        List<Removal> wave = new ArrayList<>();
        for (Removal r : removals) {
            if (r.pods().isEmpty()) {
                wave.add(r);
                if (wave.size() == maxParallelism) {
                    waves.add(List.copyOf(wave));
                    wave.clear();
                }
                continue;
            }
            if (!wave.isEmpty()) {
                waves.add(List.copyOf(wave));
                wave.clear();
            }
            waves.add(List.of(r));
            break;
        }
        if (!wave.isEmpty()) {
            waves.add(List.copyOf(wave));
        }
        return waves;
    }

    /**
     * Why a planned removal no longer holds when its turn comes, or empty when it still does.
     *
     * @param present      the node still exists
     * @param draining     the node carries the to-be-deleted taint or another drain has it
     * @param evictableNow the keys of the pods a drain of it would evict now
     */
    public static Optional<String> stale(Removal removal, boolean present, boolean draining,
                                         List<String> evictableNow) {
        if (!present) {
            return Optional.of("the node is gone");
        }
        if (draining) {
            return Optional.of("the node is already being drained");
        }
        Set<String> planned = new HashSet<>(removal.pods());
        for (String key : evictableNow) {
            if (!planned.contains(key)) {
                return Optional.of("pod " + key + " landed on it since the plan");
            }
        }
        return Optional.empty();
    }

    /**
     * A node left mid-drain is finished when nothing is left to evict and its group may lose a node
     * (its instance may already be going away), and undone otherwise.
     *
     * @param group its node group, null when it belongs to none known
     */
    public static LeftBehind leftBehind(NodeGroup group, int podsLeftToEvict) {
        boolean finish = group != null && podsLeftToEvict == 0 && group.targetSize() - 1 >= group.minSize();
        return finish ? LeftBehind.FINISH : LeftBehind.UNDO;
    }
}
