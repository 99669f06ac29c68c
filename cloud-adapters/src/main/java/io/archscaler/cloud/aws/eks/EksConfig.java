package io.archscaler.cloud.aws.eks;

import java.util.List;

/**
 * The EKS provider's settings.
 *
 * @param nodegroupNames the managed node groups to use; empty means every one of the cluster
 * @param updateWait     how long to wait on a group busy with an earlier update
 */
public record EksConfig(String clusterName, List<String> nodegroupNames, UpdateWait updateWait) {
    public EksConfig {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("eks.clusterName: missing");
        }
        nodegroupNames = nodegroupNames == null ? List.of() : List.copyOf(nodegroupNames);
        if (nodegroupNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("eks.nodegroupName: a name is blank in " + nodegroupNames);
        }
        updateWait = updateWait == null ? UpdateWait.DEFAULT : updateWait;
    }

    /** Every managed node group of the cluster. */
    public static EksConfig discoverAll(String clusterName) {
        return new EksConfig(clusterName, List.of(), null);
    }

    /** Only the named node groups of the cluster. */
    public static EksConfig of(String clusterName, List<String> nodegroupNames) {
        return new EksConfig(clusterName, nodegroupNames, null);
    }

    public EksConfig withUpdateWait(UpdateWait wait) {
        return new EksConfig(clusterName, nodegroupNames, wait);
    }

    public boolean discoversAll() {
        return nodegroupNames.isEmpty();
    }
}
