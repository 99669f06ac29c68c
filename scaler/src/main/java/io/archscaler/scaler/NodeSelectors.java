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

    /**
     * The key under which a node's name stands beside its labels when a term has matchFields:
     * '@' cannot occur in a label key, so no label can shadow it. A new node's name is not known
     * before it registers, so a template never carries it.
     */
    static final String NODE_NAME = "@metadata.name";

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

    /**
     * Expressions and fields are ANDed. A term with neither matches nothing, and so does a term
     * the kube-scheduler cannot parse (it drops such a term and lets the others decide).
     */
    static boolean termMatches(NodeSelectorTerm term, Map<String, String> labels) {
        if (!parses(term)) {
            return false;
        }
        for (NodeSelectorRequirement r : term.matchExpressions()) {
            if (!requirementMatches(r, labels)) {
                return false;
            }
        }
        for (NodeSelectorRequirement f : term.matchFields()) {
            // metadata.name is the only field a node selector may name
            String name = "metadata.name".equals(f.key()) ? labels.get(NODE_NAME) : null;
            boolean in = name != null && name.equals(f.values().get(0));
            if ("In".equals(f.operator()) != in) {
                return false;
            }
        }
        return true;
    }

    /** Whether any term names a field, so the node's name must be put beside its labels. */
    static boolean usesFields(List<NodeSelectorTerm> terms) {
        for (NodeSelectorTerm t : terms) {
            if (!t.matchFields().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The labels with the node's name beside them, for terms that name {@code metadata.name}. */
    static Map<String, String> withName(Map<String, String> labels, String name) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(NODE_NAME, name);
        return all;
    }

    /**
     * Whether the kube-scheduler can turn the term into a selector (component-helpers'
     * nodeaffinity): label keys must be qualified names, In/NotIn values valid label values and
     * at least one, Exists/DoesNotExist without values, Gt/Lt one integer; fields take In/NotIn
     * with exactly one value; and a term must say something.
     */
    static boolean parses(NodeSelectorTerm term) {
        if (term.matchExpressions().isEmpty() && term.matchFields().isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : term.matchExpressions()) {
            if (!parses(r)) {
                return false;
            }
        }
        for (NodeSelectorRequirement f : term.matchFields()) {
            String op = f.operator() == null ? "" : f.operator();
            if (!(op.equals("In") || op.equals("NotIn")) || f.values().size() != 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean parses(NodeSelectorRequirement r) {
        if (!LabelSyntax.isQualifiedName(r.key())) {
            return false;
        }
        String op = r.operator() == null ? "" : r.operator();
        return switch (op) {
            case "In", "NotIn" -> !r.values().isEmpty() && r.values().stream().allMatch(LabelSyntax::isValue);
            case "Exists", "DoesNotExist" -> r.values().isEmpty();
            case "Gt", "Lt" -> r.values().size() == 1 && parseLong(r.values().get(0)) != null;
            default -> false;
        };
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
        if (term.matchExpressions().isEmpty() && term.matchFields().isEmpty()) {
            return "<empty term>";
        }
        return java.util.stream.Stream.concat(term.matchExpressions().stream(), term.matchFields().stream())
                .map(NodeSelectors::describe).collect(Collectors.joining(" and "));
    }

    static String describe(NodeSelectorRequirement r) {
        String op = r.operator() == null ? "" : r.operator();
        if (op.equals("Exists") || op.equals("DoesNotExist")) {
            return r.key() + " " + op;
        }
        return r.key() + " " + op + " " + r.values();
    }
}
