package io.archscaler.cloud.aws.asg;

import java.util.List;

/**
 * The self-managed Auto Scaling group provider's settings.
 *
 * @param groupNames the groups to use; empty means every group tagged
 *                   {@code k8s.io/cluster-autoscaler/enabled} and {@code k8s.io/cluster-autoscaler/<clusterName>}
 */
public record AsgConfig(String clusterName, List<String> groupNames) {
    public AsgConfig {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("asg.clusterName: missing");
        }
        groupNames = groupNames == null ? List.of() : List.copyOf(groupNames);
        if (groupNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("asg.groupNames: a name is blank in " + groupNames);
        }
    }

    public static AsgConfig discoverByTags(String clusterName) {
        return new AsgConfig(clusterName, List.of());
    }

    public boolean discoversByTags() {
        return groupNames.isEmpty();
    }
}
