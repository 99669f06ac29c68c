package io.archscaler.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole configuration file, defaults applied and validated.
 *
 * @param kafka      empty when the file has no {@code kafka} block: Kafka is then not used
 * @param prometheus empty when the file has no {@code prometheus} block: no Prometheus source runs
 */
public record ArchscalerConfig(String cluster, List<NodeGroupConfig> nodeGroups, ScaleUpConfig scaleUp,
                               ScaleDownConfig scaleDown, Optional<KafkaConfig> kafka, HttpConfig http, AwsConfig aws,
                               LeaderElectionConfig leaderElection, ImagesConfig images, WebhookConfig webhook,
                               Optional<PrometheusConfig> prometheus) {
    public ArchscalerConfig {
        nodeGroups = List.copyOf(nodeGroups);
    }

    /** A configuration without a Prometheus source. */
    public ArchscalerConfig(String cluster, List<NodeGroupConfig> nodeGroups, ScaleUpConfig scaleUp,
                            ScaleDownConfig scaleDown, Optional<KafkaConfig> kafka, HttpConfig http, AwsConfig aws,
                            LeaderElectionConfig leaderElection, ImagesConfig images, WebhookConfig webhook) {
        this(cluster, nodeGroups, scaleUp, scaleDown, kafka, http, aws, leaderElection, images, webhook, Optional.empty());
    }

    public Optional<NodeGroupConfig> nodeGroup(String name) {
        return nodeGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public List<String> nodeGroupNames() {
        return nodeGroups.stream().map(NodeGroupConfig::name).toList();
    }
}
