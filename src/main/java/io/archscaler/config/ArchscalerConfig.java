package io.archscaler.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole configuration file, defaults applied and validated.
 *
 * @param kafka      empty when the file has no {@code kafka} block: Kafka is then not used
 * @param prometheus empty when the file has no {@code prometheus} block: no Prometheus source runs
 * @param discovery  where more node groups are found at start; {@link DiscoveryConfig#NONE} when not given
 * @param expander   empty when the file has no {@code expander} block: no gRPC expander is served
 */
public record ArchscalerConfig(String cluster, List<NodeGroupConfig> nodeGroups, ScaleUpConfig scaleUp,
                               ScaleDownConfig scaleDown, Optional<KafkaConfig> kafka, HttpConfig http, AwsConfig aws,
                               LeaderElectionConfig leaderElection, ImagesConfig images, WebhookConfig webhook,
                               Optional<PrometheusConfig> prometheus, DiscoveryConfig discovery,
                               Optional<ExpanderConfig> expander) {
    public ArchscalerConfig {
        nodeGroups = List.copyOf(nodeGroups);
        discovery = discovery == null ? DiscoveryConfig.NONE : discovery;
        expander = expander == null ? Optional.empty() : expander;
    }

    /** The same configuration serving HTTP on another port (the demo's {@code --http-port}). */
    public ArchscalerConfig withHttp(HttpConfig other) {
        return new ArchscalerConfig(cluster, nodeGroups, scaleUp, scaleDown, kafka, other, aws, leaderElection, images,
                webhook, prometheus, discovery, expander);
    }

    /** The same configuration with other scale-down settings (the demo's {@code --speed}). */
    public ArchscalerConfig withScaleDown(ScaleDownConfig other) {
        return new ArchscalerConfig(cluster, nodeGroups, scaleUp, other, kafka, http, aws, leaderElection, images,
                webhook, prometheus, discovery, expander);
    }

    /** The same configuration with other scale-up settings (the demo's {@code --speed} on the backoff). */
    public ArchscalerConfig withScaleUp(ScaleUpConfig other) {
        return new ArchscalerConfig(cluster, nodeGroups, other, scaleDown, kafka, http, aws, leaderElection, images,
                webhook, prometheus, discovery, expander);
    }

    /** One cluster of a fleet: these shared sections with the cluster's name, groups, discovery and scaling settings. */
    public ArchscalerConfig forCluster(String name, List<NodeGroupConfig> groups, DiscoveryConfig found,
                                       ScaleUpConfig up, ScaleDownConfig down) {
        return new ArchscalerConfig(name, groups, up, down, kafka, http, aws, leaderElection, images, webhook,
                prometheus, found, expander);
    }

    public Optional<NodeGroupConfig> nodeGroup(String name) {
        return nodeGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public List<String> nodeGroupNames() {
        return nodeGroups.stream().map(NodeGroupConfig::name).toList();
    }
}
