package io.archscaler.scaler.model;

import java.util.List;

/**
 * The planner's answer for one snapshot: plain data, the same for the same snapshot.
 *
 * @param onExistingCapacity pods that fit free room on registered nodes or in-flight capacity,
 *                           so no new node is asked for them
 */
public record ScalePlan(List<ScaleUp> scaleUps, List<Unschedulable> unschedulable, List<ScaleDown> scaleDowns,
                        List<String> onExistingCapacity) {
    public static final ScalePlan EMPTY = new ScalePlan(List.of(), List.of(), List.of(), List.of());

    public ScalePlan {
        scaleUps = List.copyOf(scaleUps);
        unschedulable = List.copyOf(unschedulable);
        scaleDowns = List.copyOf(scaleDowns);
        onExistingCapacity = List.copyOf(onExistingCapacity);
    }

    public boolean isEmpty() {
        return scaleUps.isEmpty() && scaleDowns.isEmpty();
    }
}
