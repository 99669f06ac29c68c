package io.archscaler.providers;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.scaler.model.NodeGroup;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The providers built from a config: each node group with the (decorated) provider that scales
 * it, the open circuits the planner must skip, and the simulated provider when there is one
 * (the sandbox drives it).
 */
public record ProviderSet(Map<NodeGroup, NodeGroupProvider> byGroup, Supplier<Set<String>> openCircuits,
                          Optional<SimulatedProvider> simulated) {
}
