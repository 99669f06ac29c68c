package io.archscaler.providers;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.resilience.ResilientNodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.scaler.model.NodeGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The providers built from a config: each node group (configured or discovered) with the
 * decorated provider that scales it, the open circuits the planner must skip, which node labels
 * name which group, and the simulated provider when there is one (the sandbox drives it).
 * Closing it closes the AWS clients and worker threads it owns.
 */
public final class ProviderSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderSet.class);

    private final Map<NodeGroup, NodeGroupProvider> byGroup;
    private final List<ResilientNodeGroupProvider> guarded;
    private final Optional<SimulatedProvider> simulated;
    private final NodeGroupMembership membership;
    private final Set<String> discovered;
    private final List<AutoCloseable> owned;

    ProviderSet(Map<NodeGroup, NodeGroupProvider> byGroup, List<ResilientNodeGroupProvider> guarded,
                Optional<SimulatedProvider> simulated, NodeGroupMembership membership, Set<String> discovered,
                List<AutoCloseable> owned) {
        this.byGroup = Collections.unmodifiableMap(new LinkedHashMap<>(byGroup));
        this.guarded = List.copyOf(guarded);
        this.simulated = simulated;
        this.membership = membership;
        this.discovered = Set.copyOf(discovered);
        this.owned = List.copyOf(owned);
    }

    /** Every node group, configured ones first in config order, with the provider that scales it. */
    public Map<NodeGroup, NodeGroupProvider> byGroup() {
        return byGroup;
    }

    /** The groups whose circuit is open now, across every provider. */
    public Supplier<Set<String>> openCircuits() {
        return () -> {
            Set<String> open = new TreeSet<>();
            guarded.forEach(p -> open.addAll(p.openCircuits()));
            return Collections.unmodifiableSet(open);
        };
    }

    /** The groups whose circuit is half open now (waiting on its probe), across every provider. */
    public Supplier<Set<String>> halfOpenCircuits() {
        return () -> {
            Set<String> halfOpen = new TreeSet<>();
            guarded.forEach(p -> halfOpen.addAll(p.halfOpenCircuits()));
            return Collections.unmodifiableSet(halfOpen);
        };
    }

    public Optional<SimulatedProvider> simulated() {
        return simulated;
    }

    /**
     * Which group a node belongs to by its labels, for configured and discovered groups alike
     * (an EKS group's {@code nodegroupName}, a Cluster API group's MachineDeployment name).
     */
    public NodeGroupMembership membership() {
        return membership;
    }

    /** Whether the group was found by discovery rather than listed under {@code nodeGroups}. */
    public boolean discovered(String group) {
        return discovered.contains(group);
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
