package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.scaler.model.NodeGroup;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final Supplier<Set<String>> halfOpenCircuits;
    private final Map<String, Long> ownChanges = new HashMap<>();

    NodeGroups(Map<NodeGroup, NodeGroupProvider> byGroup, Supplier<Set<String>> openCircuits) {
        this(byGroup, openCircuits, Set::of);
    }

    /** {@code halfOpenCircuits}: the groups whose circuit waits on its probe; no move to arm64 trusts them. */
    NodeGroups(Map<NodeGroup, NodeGroupProvider> byGroup, Supplier<Set<String>> openCircuits,
               Supplier<Set<String>> halfOpenCircuits) {
        byGroup.forEach((g, p) -> {
            groups.put(g.name(), g);
            providers.put(g.name(), p);
        });
        this.openCircuits = openCircuits;
        this.halfOpenCircuits = halfOpenCircuits;
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

    Set<String> halfOpenCircuits() {
        return halfOpenCircuits.get();
    }

    /** A mark of the controller's own size changes so far, taken when a listing is sent. */
    Map<String, Long> changeMarks() {
        return Map.copyOf(ownChanges);
    }

    /**
     * Takes the sizes a provider reported for the groups it manages, except for groups whose size
     * the controller itself changed after the listing was sent ({@code marks}): those sizes were
     * read before the change, and taking them would undo it until the next listing.
     */
    void refreshed(List<NodeGroup> reported, Map<String, Long> marks) {
        for (NodeGroup r : reported) {
            NodeGroup known = groups.get(r.name());
            if (known != null && Objects.equals(ownChanges.get(r.name()), marks.get(r.name()))) {
                groups.put(r.name(), known.withTargetSize(r.targetSize()));
            }
        }
    }

    void setTarget(String group, int target) {
        NodeGroup g = groups.get(group);
        if (g != null) {
            groups.put(group, g.withTargetSize(target));
            ownChanges.merge(group, 1L, Long::sum);
        }
    }
}
