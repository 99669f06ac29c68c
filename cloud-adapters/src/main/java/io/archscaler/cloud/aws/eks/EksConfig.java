package io.archscaler.cloud.aws.eks;

import java.util.List;

/**
 * The EKS provider's settings.
 *
 * @param nodegroupNames the managed node groups to use; empty means every one of the cluster
 */
public record EksConfig(String clusterName, List<String> nodegroupNames) {
    public EksConfig {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("eks.clusterName: missing");
        }
        nodegroupNames = nodegroupNames == null ? List.of() : List.copyOf(nodegroupNames);
        if (nodegroupNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("eks.nodegroupName: a name is blank in " + nodegroupNames);
        }
    }

    /** Every managed node group of the cluster. */
    public static EksConfig discoverAll(String clusterName) {
        return new EksConfig(clusterName, List.of());
    }

    /** Only the named node groups of the cluster. */
    public static EksConfig of(String clusterName, List<String> nodegroupNames) {
        return new EksConfig(clusterName, nodegroupNames);
    }

    public boolean discoversAll() {
        return nodegroupNames.isEmpty();
    }
}
