package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;

import java.util.HashMap;
import java.util.Map;

/** The arch of a node or group, and its labels with the well-known arch labels filled in. */
final class Labels {
    private Labels() {
    }

    static Arch archOf(NodeGroup group) {
        if (group.arch() != null) {
            return group.arch();
        }
        return group.template() == null ? null
                : Arch.fromLabel(group.template().labels().get(NodeTemplate.ARCH_LABEL)).orElse(null);
    }

    static Arch archOf(Node node) {
        return node.arch() != null ? node.arch() : Arch.fromLabel(node.labels().get(NodeTemplate.ARCH_LABEL)).orElse(null);
    }

    /** A template's allocatable, or nothing when it was left out. */
    static Resources allocatableOf(NodeTemplate template) {
        return template == null || template.allocatable() == null ? Resources.ZERO : template.allocatable();
    }

    /**
     * The value {@link #withArch} would give the key, without building the map: the label, or
     * the arch for a missing arch label.
     */
    static String value(Map<String, String> labels, String key, Arch arch) {
        String v = labels.get(key);
        if (v == null && arch != null && (key.equals(NodeTemplate.ARCH_LABEL) || key.equals(NodeTemplate.BETA_ARCH_LABEL))) {
            return arch.label();
        }
        return v;
    }

    /** Every real node carries the arch labels; a hand-written template may not, so add them. */
    static Map<String, String> withArch(Map<String, String> labels, Arch arch) {
        if (arch == null || (labels.containsKey(NodeTemplate.ARCH_LABEL) && labels.containsKey(NodeTemplate.BETA_ARCH_LABEL))) {
            return labels;
        }
        Map<String, String> all = new HashMap<>(labels);
        all.putIfAbsent(NodeTemplate.ARCH_LABEL, arch.label());
        all.putIfAbsent(NodeTemplate.BETA_ARCH_LABEL, arch.label());
        return Map.copyOf(all);
    }
}
