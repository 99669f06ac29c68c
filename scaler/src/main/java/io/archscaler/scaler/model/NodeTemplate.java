package io.archscaler.scaler.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a new node of a group will look like: allocatable capacity, labels and taints. Every
 * template carries the well-known labels ({@code kubernetes.io/arch}, {@code kubernetes.io/os},
 * {@code node.kubernetes.io/instance-type}, {@link #GROUP_LABEL}), so selectors can match them.
 */
public record NodeTemplate(Resources allocatable, Map<String, String> labels, List<Taint> taints) {
    public static final String GROUP_LABEL = "archscaler.io/node-group";
    public static final String ARCH_LABEL = "kubernetes.io/arch";
    public static final String BETA_ARCH_LABEL = "beta.kubernetes.io/arch";
    public static final String OS_LABEL = "kubernetes.io/os";
    public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

    public NodeTemplate {
        labels = Copies.map(labels);
        taints = Copies.list(taints);
    }

    /** A template with the well-known labels added to the operator's own (which win on conflict). */
    public static NodeTemplate forGroup(String group, Arch arch, String instanceType, Resources allocatable,
                                        Map<String, String> labels, List<Taint> taints) {
        Map<String, String> all = new TreeMap<>();
        all.put(ARCH_LABEL, arch.label());
        all.put(BETA_ARCH_LABEL, arch.label());
        all.put(OS_LABEL, "linux");
        if (instanceType != null && !instanceType.isEmpty()) {
            all.put(INSTANCE_TYPE_LABEL, instanceType);
        }
        all.put(GROUP_LABEL, group);
        if (labels != null) {
            all.putAll(labels);
        }
        return new NodeTemplate(allocatable, all, taints);
    }

    /**
     * This template with Karpenter's and EKS's capacity-type labels set to {@code capacityType},
     * so selectors and the spot-ratio affinity match new nodes as they will be labelled.
     */
    public NodeTemplate withCapacityType(CapacityType capacityType) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(CapacityType.LABEL, capacityType.label());
        all.put(CapacityType.EKS_LABEL, capacityType.eksLabel());
        return new NodeTemplate(allocatable, all, taints);
    }
}
