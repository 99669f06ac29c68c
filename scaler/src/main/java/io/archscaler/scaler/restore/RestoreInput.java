package io.archscaler.scaler.restore;

import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.scaledown.ScaleDownInput;

import java.time.Instant;
import java.util.Set;

/**
 * What the restore planner looks at, frozen at one moment.
 *
 * @param snapshot        as for the scale-up planner: node groups (sizes, prices, limits), every
 *                        registered node, pending pods, DaemonSets, in-flight nodes, groups in backoff
 *                        and with an open circuit
 * @param workloads       as for scale-down: the pods bound to each node, with image platforms
 *                        looked up where they can be (null: unknown), node annotations, PodDisruptionBudgets;
 *                        its node groups are not read
 * @param circuitHalfOpen groups whose circuit waits on a probe: not trusted with a move until it closes
 */
public record RestoreInput(ClusterSnapshot snapshot, ScaleDownInput workloads, Set<String> circuitHalfOpen,
                           MoveHistory moves, Instant now) {
    public RestoreInput {
        circuitHalfOpen = circuitHalfOpen == null ? Set.of() : Set.copyOf(circuitHalfOpen);
        moves = moves == null ? MoveHistory.NONE : moves;
    }
}
