package io.archscaler.providers;

import io.archscaler.cloud.clusterapi.ClusterApiConfig;
import io.archscaler.cloud.clusterapi.ClusterApiNodeGroupProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The {@code clusterapi} providers a config asks for: one per namespace and arch of the configured
 * groups (the arch is the provider's default for groups whose annotations and template do not
 * say), and one for discovery, whose groups are named {@code <namespace>/<name>} as the Cluster
 * Autoscaler names them.
 */
final class ClusterApiProviders {
    private ClusterApiProviders() {
    }

    static boolean needed(ArchscalerConfig config) {
        return config.discovery().clusterapi().isPresent()
                || config.nodeGroups().stream().anyMatch(g -> g.settings() instanceof ProviderSettings.ClusterApi);
    }

    /** @param executor runs the blocking Kubernetes calls (never an event loop) */
    static List<ProviderSource> sources(ArchscalerConfig config, KubernetesClient client, Executor executor) {
        if (client == null) {
            throw new IllegalStateException("Cluster API groups need a Kubernetes client");
        }
        Map<String, List<NodeGroupConfig>> byNamespaceAndArch = new LinkedHashMap<>();
        for (NodeGroupConfig g : config.nodeGroups()) {
            if (g.settings() instanceof ProviderSettings.ClusterApi c) {
                byNamespaceAndArch.computeIfAbsent(c.namespace() + " " + g.arch().label(), k -> new ArrayList<>()).add(g);
            }
        }
        List<ProviderSource> out = new ArrayList<>();
        Set<String> excluded = new HashSet<>(config.nodeGroupNames());
        for (List<NodeGroupConfig> groups : byNamespaceAndArch.values()) {
            Map<String, NodeGroupConfig> byKey = ProviderSource.byProviderName(groups, ClusterApiProviders::key,
                    "Cluster API resource", "");
            Map<String, String> groupNames = new LinkedHashMap<>();
            Map<String, Duration> provisionTimeouts = new LinkedHashMap<>();
            byKey.forEach((key, g) -> {
                groupNames.put(key, g.name());
                Duration timeout = ((ProviderSettings.ClusterApi) g.settings()).provisionTimeout();
                if (timeout != null) {
                    provisionTimeouts.put(key, timeout);
                }
            });
            excluded.addAll(byKey.keySet());
            String namespace = ((ProviderSettings.ClusterApi) groups.get(0).settings()).namespace();
            ClusterApiConfig capi = config(() -> new ClusterApiConfig(namespace, groupNames, groups.get(0).arch(),
                    provisionTimeouts));
            Map<String, NodeGroupConfig> byName = new LinkedHashMap<>();
            groups.forEach(g -> byName.put(g.name(), g));
            out.add(ProviderSource.configured(new ClusterApiNodeGroupProvider(client, capi, executor, Clock.systemUTC()),
                    GroupMapping.configured(ClusterApiNodeGroupProvider.ID, byName)));
        }
        config.discovery().clusterapi().ifPresent(d -> {
            ClusterApiConfig capi = config(() -> new ClusterApiConfig(d.namespace().orElse(null), Map.of(),
                    d.defaultArch()));
            out.add(new ProviderSource(new ClusterApiNodeGroupProvider(client, capi, executor, Clock.systemUTC()),
                    GroupMapping.configured(ClusterApiNodeGroupProvider.ID, Map.of()).withDiscovered(excluded),
                    ClusterApiProviders::settingsOf));
        });
        return out;
    }

    /** The provider block of a discovered group named {@code <namespace>/<name>}. */
    static ProviderSettings settingsOf(String group) {
        int slash = group.indexOf('/');
        return new ProviderSettings.ClusterApi(group.substring(0, slash), group.substring(slash + 1),
                ProviderSettings.ClusterApi.MACHINE_DEPLOYMENT);
    }

    private static String key(NodeGroupConfig g) {
        ProviderSettings.ClusterApi c = (ProviderSettings.ClusterApi) g.settings();
        return c.namespace() + "/" + c.name();
    }

    private static ClusterApiConfig config(Supplier<ClusterApiConfig> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
