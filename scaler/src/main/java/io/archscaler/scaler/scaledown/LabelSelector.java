package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.NodeSelectorRequirement;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions} with {@code In},
 * {@code NotIn}, {@code Exists}, {@code DoesNotExist}), ANDed. An empty selector matches everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<NodeSelectorRequirement> matchExpressions) {
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : matchExpressions) {
            if (!matches(r, labels)) {
                return false;
            }
        }
        return true;
    }

    /** An unknown operator matches nothing, as the API server would have refused it. */
    private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.key());
        return switch (r.operator() == null ? "" : r.operator()) {
            case "In" -> value != null && r.values().contains(value);
            case "NotIn" -> value == null || !r.values().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}
