package io.archscaler.scaler.restore;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The moves toward arm64 the controller has made: the nodes moving now (arm64 capacity asked for,
 * or being drained) and the moves started lately, with those that were undone.
 *
 * @param inProgress nodes whose move has started and not ended
 * @param recent     moves started lately, ended or not; older than the budget's interval may be dropped
 */
public record MoveHistory(Set<String> inProgress, List<Move> recent) {
    public static final MoveHistory NONE = new MoveHistory(Set.of(), List.of());

    /** One move: when it started, and whether it was undone (its new capacity failed, a drain failed). */
    public record Move(String node, Instant started, boolean undone) {
    }

    public MoveHistory {
        inProgress = inProgress == null ? Set.of() : Set.copyOf(inProgress);
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /** How many nodes started a move at or after {@code since}, counting those in progress. */
    int startedSince(Instant since) {
        Set<String> nodes = new HashSet<>(inProgress);
        for (Move m : recent) {
            if (!m.started().isBefore(since)) {
                nodes.add(m.node());
            }
        }
        return nodes.size();
    }

    /** Whether a move of the node started at or after {@code since} was undone. */
    boolean undoneSince(String node, Instant since) {
        return recent.stream().anyMatch(m -> m.undone() && m.node().equals(node) && !m.started().isBefore(since));
    }
}
