package io.archscaler.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole configuration file, defaults applied and validated.
 *
 * @param kafka empty when the file has no {@code kafka} block: Kafka is then not used
 */
public record ArchscalerConfig(String cluster, List<NodeGroupConfig> nodeGroups, ScaleUpConfig scaleUp,
                               ScaleDownConfig scaleDown, Optional<KafkaConfig> kafka, HttpConfig http, AwsConfig aws,
                               LeaderElectionConfig leaderElection, ImagesConfig images, WebhookConfig webhook) {
    public ArchscalerConfig {
        nodeGroups = List.copyOf(nodeGroups);
    }

    public Optional<NodeGroupConfig> nodeGroup(String name) {
        return nodeGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public List<String> nodeGroupNames() {
        return nodeGroups.stream().map(NodeGroupConfig::name).toList();
    }
}
