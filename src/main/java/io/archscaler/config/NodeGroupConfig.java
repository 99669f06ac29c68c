package io.archscaler.config;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configured node group, defaults applied.
 *
 * @param scaling  how far the group may scale and how much it is preferred
 * @param shape    what its nodes are and cost
 * @param settings the provider block matching {@code provider}
 * @param given    the keys the file gave for this group ({@code minSize}, {@code weight},
 *                 {@code pricePerHour}, …): where a provider reports the group too, only these
 *                 are laid over what it reports
 */
public record NodeGroupConfig(String name, ProviderType provider, Arch arch, Scaling scaling, NodeShape shape,
                              ProviderSettings settings, Set<String> given) {
    /** The keys a group may give; a group built in code counts as having given them all. */
    public static final Set<String> ALL_KEYS = Set.of("name", "provider", "arch", "minSize", "maxSize", "weight",
            "instanceType", "pricePerHour", "capacity", "labels", "taints", "capacityType");

    /** How far a group may scale, and its weight for the expander (higher is preferred). */
    public record Scaling(int minSize, int maxSize, int weight) {
    }

    /**
     * What a group's nodes are and cost.
     *
     * @param instanceType the instance type, or null when not given
     * @param capacity     a new node's allocatable resources
     * @param capacityType spot or on-demand (the default)
     */
    public record NodeShape(String instanceType, double pricePerHour, Resources capacity,
                            Map<String, String> labels, List<Taint> taints, CapacityType capacityType) {
        public NodeShape {
            labels = Map.copyOf(labels);
            taints = List.copyOf(taints);
            capacityType = capacityType == null ? CapacityType.ON_DEMAND : capacityType;
        }

        /** An on-demand shape. */
        public NodeShape(String instanceType, double pricePerHour, Resources capacity, Map<String, String> labels,
                         List<Taint> taints) {
            this(instanceType, pricePerHour, capacity, labels, taints, CapacityType.ON_DEMAND);
        }
    }

    public NodeGroupConfig {
        given = Set.copyOf(given);
    }

    public int minSize() {
        return scaling.minSize();
    }

    public int maxSize() {
        return scaling.maxSize();
    }

    public int weight() {
        return scaling.weight();
    }

    /** The instance type, or null when not given. */
    public String instanceType() {
        return shape.instanceType();
    }

    public double pricePerHour() {
        return shape.pricePerHour();
    }

    /** A new node's allocatable resources. */
    public Resources capacity() {
        return shape.capacity();
    }

    public Map<String, String> labels() {
        return shape.labels();
    }

    public List<Taint> taints() {
        return shape.taints();
    }

    public CapacityType capacityType() {
        return shape.capacityType();
    }

    /** Whether the file gave this key, rather than leaving it to its default. */
    public boolean gave(String key) {
        return given.contains(key);
    }

    /** The planner's view of this group at the given target size. */
    public NodeGroup toNodeGroup(int targetSize) {
        return new NodeGroup(name, provider.id(), arch, minSize(), maxSize(), targetSize, weight(), instanceType(),
                pricePerHour(), template(), capacityType());
    }

    /**
     * What a new node of this group looks like, well-known labels included; a group that gives
     * {@code capacityType} also carries Karpenter's and EKS's capacity-type labels (its nodes are
     * expected to register with them, as with its other labels).
     */
    public NodeTemplate template() {
        NodeTemplate t = NodeTemplate.forGroup(name, arch, instanceType(), capacity(), labels(), taints());
        return gave("capacityType") ? t.withCapacityType(capacityType()) : t;
    }
}
