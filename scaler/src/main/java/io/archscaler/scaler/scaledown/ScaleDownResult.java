package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.ScaleDown;

import java.util.List;

/**
 * Scale-down's answer for one input.
 *
 * @param removals    the nodes to remove now, in the order to remove them (amd64 that arm64 can
 *                    absorb first)
 * @param unremovable the other nodes of managed groups, with why each is kept
 * @param unneeded    every node that passes the rules now, whether or not it has waited long enough
 */
public record ScaleDownResult(List<Removal> removals, List<Unremovable> unremovable, List<Candidate> unneeded) {
    public static final ScaleDownResult NONE = new ScaleDownResult(List.of(), List.of(), List.of());

    public ScaleDownResult {
        removals = List.copyOf(removals);
        unremovable = List.copyOf(unremovable);
        unneeded = List.copyOf(unneeded);
    }

    public List<ScaleDown> scaleDowns() {
        return removals.stream().map(Removal::toScaleDown).toList();
    }
}
