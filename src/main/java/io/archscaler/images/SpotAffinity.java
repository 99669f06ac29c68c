package io.archscaler.images;

import io.archscaler.scaler.model.CapacityType;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node affinity that keeps a pod off spot nodes, and whether a pod already has it. */
public final class SpotAffinity {
    /** Says on the pod why it was kept off spot. */
    public static final String REASON_ANNOTATION = "archscaler.io/spot-ratio";

    /** Both labels in one term: Karpenter's and EKS's nodes each carry only one of them. */
    static final List<JsonObject> EXCLUDE_SPOT = List.of(
            notIn(CapacityType.LABEL, CapacityType.SPOT.label()),
            notIn(CapacityType.EKS_LABEL, CapacityType.SPOT.eksLabel()));

    private SpotAffinity() {
    }

    /**
     * Whether the pod cannot land on a spot node already: its nodeSelector names a capacity type other
     * than spot, or every required node affinity term rules spot out.
     */
    public static boolean excludesSpot(Pod pod) {
        if (pod.getSpec() == null) {
            return false;
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && (selector.containsKey(CapacityType.LABEL) || selector.containsKey(CapacityType.EKS_LABEL))) {
            return CapacityType.ofLabels(selector) != CapacityType.SPOT;
        }
        List<NodeSelectorTerm> terms = Optional.ofNullable(pod.getSpec().getAffinity())
                .map(a -> a.getNodeAffinity())
                .map(n -> n.getRequiredDuringSchedulingIgnoredDuringExecution())
                .map(r -> r.getNodeSelectorTerms()).orElse(List.of());
        return !terms.isEmpty() && terms.stream().allMatch(SpotAffinity::excludesSpot);
    }

    private static boolean excludesSpot(NodeSelectorTerm term) {
        return term.getMatchExpressions() != null && term.getMatchExpressions().stream().anyMatch(SpotAffinity::excludesSpot);
    }

    private static boolean excludesSpot(NodeSelectorRequirement r) {
        if (!CapacityType.LABEL.equals(r.getKey()) && !CapacityType.EKS_LABEL.equals(r.getKey())) {
            return false;
        }
        boolean namesSpot = r.getValues() != null
                && r.getValues().stream().anyMatch(v -> CapacityType.parse(v).orElse(null) == CapacityType.SPOT);
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "NotIn" -> namesSpot;
            case "In" -> !namesSpot;
            case "DoesNotExist" -> true;
            default -> false;
        };
    }

    private static JsonObject notIn(String key, String value) {
        return new JsonObject().put("key", key).put("operator", "NotIn").put("values", new JsonArray().add(value));
    }
}
