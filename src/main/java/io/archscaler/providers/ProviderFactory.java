package io.archscaler.providers;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** Builds the provider of every configured node group. */
public final class ProviderFactory {
    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final double speed;

    /** {@code speed} divides simulated delays (the demo's {@code --speed}). */
    public ProviderFactory(KubernetesClient client, ScheduledExecutorService scheduler, double speed) {
        this.client = client;
        this.scheduler = scheduler;
        this.speed = speed;
    }

    public ProviderSet build(ArchscalerConfig config) {
        Map<NodeGroup, Duration> simulatedGroups = new LinkedHashMap<>();
        Map<NodeGroup, NodeGroupProvider> byGroup = new LinkedHashMap<>();
        for (NodeGroupConfig g : config.nodeGroups()) {
            NodeGroup group = g.toNodeGroup(0);
            if (g.settings() instanceof ProviderSettings.Simulated s) {
                simulatedGroups.put(group, Duration.ofMillis((long) (s.registrationDelay().toMillis() / speed)));
            } else {
                throw new ConfigException("node group " + g.name() + ": provider " + g.provider()
                        + " is not available to the controller in this build");
            }
        }
        Optional<SimulatedProvider> simulated = Optional.empty();
        if (!simulatedGroups.isEmpty()) {
            SimulatedProvider p = new SimulatedProvider(client, scheduler, simulatedGroups);
            simulatedGroups.keySet().forEach(g -> byGroup.put(g, p));
            simulated = Optional.of(p);
        }
        return new ProviderSet(byGroup, Set::of, simulated);
    }
}
