package io.archscaler.providers;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.config.ConfigException;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One provider built from the config, how the groups it reports map to Archscaler's, and the
 * provider block a discovered group of it would have been configured with (so node membership
 * labels can be resolved for discovered groups as for configured ones).
 */
record ProviderSource(NodeGroupProvider provider, GroupMapping mapping,
                      Function<String, ProviderSettings> discoveredSettings) {

    /** A source of configured groups only. */
    static ProviderSource configured(NodeGroupProvider provider, GroupMapping mapping) {
        return new ProviderSource(provider, mapping, name -> {
            throw new IllegalStateException(provider.id() + " discovers no groups, yet reported " + name);
        });
    }

    /**
     * Configured groups by the name their provider knows them by; two groups naming the same
     * provider group are refused, since scaling one would silently scale the other.
     *
     * @param what  how the provider's name reads in an error ("EKS node group", "Auto Scaling group")
     * @param where where that name lives, for the error (" in cluster prod"), or ""
     */
    static Map<String, NodeGroupConfig> byProviderName(List<NodeGroupConfig> groups,
                                                       Function<NodeGroupConfig, String> providerName, String what,
                                                       String where) {
        Map<String, NodeGroupConfig> out = new LinkedHashMap<>();
        for (NodeGroupConfig g : groups) {
            String name = providerName.apply(g);
            NodeGroupConfig other = out.putIfAbsent(name, g);
            if (other != null) {
                throw new ConfigException("node groups " + other.name() + " and " + g.name() + " both name " + what
                        + " " + name + where + "; give each its own");
            }
        }
        return out;
    }
}
