package io.archscaler.scaler;

import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Matches a pod's nodeSelector and required node affinity against node labels, as the kube-scheduler does. */
final class NodeSelectors {
    private NodeSelectors() {
    }

    /** The first nodeSelector entry the labels do not carry, rendered {@code key=value}, or null. */
    static String selectorMismatch(Map<String, String> nodeSelector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return e.getKey() + "=" + e.getValue();
            }
        }
        return null;
    }

    /** Terms are ORed; no terms means no constraint. */
    static boolean affinityMatches(List<NodeSelectorTerm> terms, Map<String, String> labels) {
        if (terms.isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm t : terms) {
            if (termMatches(t, labels)) {
                return true;
            }
        }
        return false;
    }

    /** Expressions are ANDed; an empty term matches nothing (the Kubernetes rule). */
    static boolean termMatches(NodeSelectorTerm term, Map<String, String> labels) {
        if (term.matchExpressions().isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : term.matchExpressions()) {
            if (!requirementMatches(r, labels)) {
                return false;
            }
        }
        return true;
    }

    static boolean requirementMatches(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.key());
        String op = r.operator() == null ? "" : r.operator();
        return switch (op) {
            case "In" -> value != null && r.values().contains(value);
            case "NotIn" -> value == null || !r.values().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> compare(value, r.values()) > 0;
            case "Lt" -> compare(value, r.values()) < 0;
            default -> false;
        };
    }

    /**
     * Sign of {@code label - bound} when both are integers and there is exactly one bound;
     * 0 (neither Gt nor Lt holds) otherwise.
     */
    private static int compare(String label, List<String> bounds) {
        if (label == null || bounds.size() != 1) {
            return 0;
        }
        Long l = parseLong(label);
        Long b = parseLong(bounds.get(0));
        return l == null || b == null ? 0 : Long.compare(l, b);
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code (a In [x] and b Exists) or (c NotIn [y])}. */
    static String describe(List<NodeSelectorTerm> terms) {
        if (terms.size() == 1) {
            return describe(terms.get(0));
        }
        return terms.stream().map(t -> "(" + describe(t) + ")").collect(Collectors.joining(" or "));
    }

    static String describe(NodeSelectorTerm term) {
        if (term.matchExpressions().isEmpty()) {
            return "<empty term>";
        }
        return term.matchExpressions().stream().map(NodeSelectors::describe).collect(Collectors.joining(" and "));
    }

    static String describe(NodeSelectorRequirement r) {
        String op = r.operator() == null ? "" : r.operator();
        if (op.equals("Exists") || op.equals("DoesNotExist")) {
            return r.key() + " " + op;
        }
        return r.key() + " " + op + " " + r.values();
    }
}
