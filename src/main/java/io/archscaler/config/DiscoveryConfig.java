package io.archscaler.config;

import io.archscaler.scaler.model.Arch;

import java.util.List;
import java.util.Optional;

/**
 * Where node groups are found without being listed under {@code nodeGroups}: an EKS cluster's
 * managed node groups, Auto Scaling groups by tags, Cluster API MachineDeployments in a namespace.
 */
public record DiscoveryConfig(Optional<Eks> eks, Optional<Asg> asg, Optional<ClusterApi> clusterapi) {
    public static final DiscoveryConfig NONE = new DiscoveryConfig(Optional.empty(), Optional.empty(), Optional.empty());

    /** Every managed node group of the EKS cluster. */
    public record Eks(String clusterName) {
    }

    /**
     * Auto Scaling groups that carry every one of {@code tags} ({@code key} or {@code key=value});
     * with no tags, the Cluster Autoscaler's {@code k8s.io/cluster-autoscaler/enabled} and
     * {@code k8s.io/cluster-autoscaler/<clusterName>}.
     */
    public record Asg(String clusterName, List<String> tags) {
        public Asg {
            tags = List.copyOf(tags);
        }
    }

    /**
     * Annotated MachineDeployments and MachineSets in {@code namespace} (every namespace when
     * empty); {@code defaultArch} is the arch of a group whose annotations and template do not say.
     */
    public record ClusterApi(Optional<String> namespace, Arch defaultArch) {
    }

    /** Whether any discovery is configured. */
    public boolean any() {
        return eks.isPresent() || asg.isPresent() || clusterapi.isPresent();
    }
}
