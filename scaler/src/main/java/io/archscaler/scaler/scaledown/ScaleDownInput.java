package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.NodeGroup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What scale-down looks at, frozen at one moment.
 *
 * @param lastScaleUp       per group, when it was last grown
 * @param failedScaleDowns  per node, when its last scale-down failed
 */
public record ScaleDownInput(List<NodeGroup> nodeGroups, List<NodeWithPods> nodes, List<DisruptionBudget> budgets,
                             Map<String, Instant> lastScaleUp, Map<String, Instant> failedScaleDowns) {
    public ScaleDownInput {
        nodeGroups = List.copyOf(nodeGroups);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        lastScaleUp = lastScaleUp == null ? Map.of() : Map.copyOf(lastScaleUp);
        failedScaleDowns = failedScaleDowns == null ? Map.of() : Map.copyOf(failedScaleDowns);
    }
}
