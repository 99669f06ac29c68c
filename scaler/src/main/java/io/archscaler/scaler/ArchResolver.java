package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The architectures a pod may run on: its nodeSelector, its required node affinity and its
 * images' platforms, intersected.
 */
public final class ArchResolver {
    private static final List<String> ARCH_KEYS = List.of(NodeTemplate.ARCH_LABEL, NodeTemplate.BETA_ARCH_LABEL);

    private ArchResolver() {
    }

    /** The architectures the pod may run on; empty when no node could ever take it. */
    public static Set<Arch> allowed(PendingPod pod) {
        return allowed(pod.nodeSelector(), pod.requiredAffinity(), pod.imageArchs());
    }

    /** The same, from the parts of a pod that constrain its architecture. */
    public static Set<Arch> allowed(Map<String, String> nodeSelector, List<NodeSelectorTerm> affinity,
                                    Set<Arch> imageArchs) {
        EnumSet<Arch> set = bySelector(nodeSelector);
        set.retainAll(byAffinity(affinity));
        if (imageArchs != null) {
            set.retainAll(imageArchs);
        }
        return Collections.unmodifiableSet(set);
    }

    /**
     * Why {@link #allowed} is empty, in words an operator can act on; null when it is not empty.
     */
    public static String whyEmpty(PendingPod pod) {
        EnumSet<Arch> selector = bySelector(pod.nodeSelector());
        EnumSet<Arch> affinity = byAffinity(pod.requiredAffinity());
        Set<Arch> images = pod.imageArchs() == null ? EnumSet.allOf(Arch.class) : pod.imageArchs();
        if (!allowed(pod).isEmpty()) {
            return null;
        }
        if (selector.isEmpty()) {
            return whySelectorEmpty(pod.nodeSelector());
        }
        if (affinity.isEmpty()) {
            return "required node affinity " + NodeSelectors.describe(pod.requiredAffinity())
                    + " allows no supported architecture (supported: " + format(EnumSet.allOf(Arch.class)) + ")";
        }
        if (images.isEmpty()) {
            return "images are published for no supported architecture (supported: "
                    + format(EnumSet.allOf(Arch.class)) + ")";
        }
        List<String> parts = new ArrayList<>();
        boolean selectorConstrains = selector.size() < Arch.values().length;
        boolean affinityConstrains = affinity.size() < Arch.values().length;
        if (images.size() < Arch.values().length) {
            parts.add("images support only " + format(images));
        }
        if (selectorConstrains) {
            parts.add("nodeSelector requires " + format(selector));
        }
        if (affinityConstrains) {
            parts.add("affinity requires " + format(affinity));
        }
        if (parts.size() == 2) {
            return parts.get(0) + " but " + parts.get(1);
        }
        return String.join(", ", parts) + ": no architecture satisfies them all";
    }

    /** Required node affinity terms in words: {@code kubernetes.io/arch In [amd64]}, terms joined by "or". */
    public static String describe(List<NodeSelectorTerm> terms) {
        return NodeSelectors.describe(terms);
    }

    private static String whySelectorEmpty(Map<String, String> nodeSelector) {
        List<String> named = new ArrayList<>();
        for (String key : ARCH_KEYS) {
            String value = nodeSelector.get(key);
            if (value == null) {
                continue;
            }
            if (byLabel(value).isEmpty()) {
                return "nodeSelector " + key + "=" + value + " names no supported architecture (supported: "
                        + format(EnumSet.allOf(Arch.class)) + ")";
            }
            named.add(key + "=" + value);
        }
        return "nodeSelector " + String.join(" and ", named) + " contradict each other";
    }

    private static EnumSet<Arch> bySelector(Map<String, String> nodeSelector) {
        EnumSet<Arch> set = EnumSet.allOf(Arch.class);
        for (String key : ARCH_KEYS) {
            String value = nodeSelector.get(key);
            if (value != null) {
                set.retainAll(byLabel(value));
            }
        }
        return set;
    }

    private static EnumSet<Arch> byAffinity(List<NodeSelectorTerm> terms) {
        if (terms.isEmpty()) {
            return EnumSet.allOf(Arch.class);
        }
        EnumSet<Arch> union = EnumSet.noneOf(Arch.class);
        for (NodeSelectorTerm term : terms) {
            union.addAll(byTerm(term));
        }
        return union;
    }

    /** A term the scheduler cannot parse, or an empty one, matches no node: no arch; fields leave the arch free. */
    private static EnumSet<Arch> byTerm(NodeSelectorTerm term) {
        if (!NodeSelectors.parses(term)) {
            return EnumSet.noneOf(Arch.class);
        }
        EnumSet<Arch> set = EnumSet.allOf(Arch.class);
        for (NodeSelectorRequirement r : term.matchExpressions()) {
            if (ARCH_KEYS.contains(r.key())) {
                set.retainAll(byRequirement(r));
            }
        }
        return set;
    }

    /** Every node carries an arch label, so Exists means any and DoesNotExist, Gt, Lt mean none. */
    private static EnumSet<Arch> byRequirement(NodeSelectorRequirement r) {
        String op = r.operator() == null ? "" : r.operator();
        return switch (op) {
            case "In" -> byLabels(r.values());
            case "NotIn" -> EnumSet.complementOf(byLabels(r.values()));
            case "Exists" -> EnumSet.allOf(Arch.class);
            default -> EnumSet.noneOf(Arch.class);
        };
    }

    private static EnumSet<Arch> byLabels(List<String> values) {
        EnumSet<Arch> set = EnumSet.noneOf(Arch.class);
        for (String v : values) {
            set.addAll(byLabel(v));
        }
        return set;
    }

    /** Label values match exactly, as the scheduler matches them. */
    private static EnumSet<Arch> byLabel(String value) {
        for (Arch a : Arch.values()) {
            if (a.label().equals(value)) {
                return EnumSet.of(a);
            }
        }
        return EnumSet.noneOf(Arch.class);
    }

    static String format(Set<Arch> archs) {
        EnumSet<Arch> sorted = EnumSet.noneOf(Arch.class);
        sorted.addAll(archs);
        return sorted.toString();
    }
}
