package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.scaler.model.NodeGroup;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node groups the controller manages, each with the provider that scales it, and the last
 * sizes the providers reported. Group definitions come from config and discovery; target sizes
 * are refreshed from the providers and moved by the controller's own successful calls.
 */
final class NodeGroups {
    private final Map<String, NodeGroup> groups = new LinkedHashMap<>();
    private final Map<String, NodeGroupProvider> providers = new LinkedHashMap<>();
    private final Supplier<Set<String>> openCircuits;

    NodeGroups(Map<NodeGroup, NodeGroupProvider> byGroup, Supplier<Set<String>> openCircuits) {
        byGroup.forEach((g, p) -> {
            groups.put(g.name(), g);
            providers.put(g.name(), p);
        });
        this.openCircuits = openCircuits;
    }

    List<NodeGroup> all() {
        return List.copyOf(groups.values());
    }

    NodeGroup get(String name) {
        return groups.get(name);
    }

    NodeGroupProvider provider(String group) {
        return providers.get(group);
    }

    Collection<NodeGroupProvider> distinctProviders() {
        return new LinkedHashSet<>(providers.values());
    }

    Set<String> openCircuits() {
        return openCircuits.get();
    }

    /** Takes the sizes a provider reported for the groups it manages. */
    void refreshed(List<NodeGroup> reported) {
        for (NodeGroup r : reported) {
            NodeGroup known = groups.get(r.name());
            if (known != null) {
                groups.put(r.name(), known.withTargetSize(r.targetSize()));
            }
        }
    }

    void setTarget(String group, int target) {
        NodeGroup g = groups.get(group);
        if (g != null) {
            groups.put(group, g.withTargetSize(target));
        }
    }
}
