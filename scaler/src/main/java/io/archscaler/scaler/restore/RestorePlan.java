package io.archscaler.scaler.restore;

import java.util.List;

/**
 * The restore planner's answer for one input.
 *
 * @param replacements the moves to start now, best first, within the budget
 * @param kept         every other amd64 node of a managed group with pods, with why it stays (sorted by node)
 */
public record RestorePlan(List<Replacement> replacements, List<Kept> kept) {
    public static final RestorePlan NONE = new RestorePlan(List.of(), List.of());

    public RestorePlan {
        replacements = List.copyOf(replacements);
        kept = List.copyOf(kept);
    }

    /** The summed saving per hour of the moves. */
    public double savingPerHour() {
        return replacements.stream().mapToDouble(Replacement::savingPerHour).sum();
    }
}
