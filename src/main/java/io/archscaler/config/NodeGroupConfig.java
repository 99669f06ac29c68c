package io.archscaler.config;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;

import java.util.List;
import java.util.Map;

/**
 * One configured node group, defaults applied.
 *
 * @param instanceType the instance type, or null when not given
 * @param capacity     a new node's allocatable resources
 * @param settings     the provider block matching {@code provider}
 */
public record NodeGroupConfig(String name, ProviderType provider, Arch arch, int minSize, int maxSize, int weight,
                              String instanceType, double pricePerHour, Resources capacity,
                              Map<String, String> labels, List<Taint> taints, ProviderSettings settings) {
    public NodeGroupConfig {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** The planner's view of this group at the given target size. */
    public NodeGroup toNodeGroup(int targetSize) {
        return new NodeGroup(name, provider.id(), arch, minSize, maxSize, targetSize, weight, instanceType,
                pricePerHour, template());
    }

    /** What a new node of this group looks like, well-known labels included. */
    public NodeTemplate template() {
        return NodeTemplate.forGroup(name, arch, instanceType, capacity, labels, taints);
    }
}
