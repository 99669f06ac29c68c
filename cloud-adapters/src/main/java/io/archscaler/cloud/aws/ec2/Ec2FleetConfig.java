package io.archscaler.cloud.aws.ec2;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The EC2 Fleet provider's settings: the cluster its instances join, and its groups. */
public record Ec2FleetConfig(String clusterName, List<FleetGroup> groups) {
    public Ec2FleetConfig {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("ec2: clusterName missing");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        Set<String> names = new HashSet<>();
        for (FleetGroup g : groups) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("ec2: node group " + g.name() + " is listed twice");
            }
        }
    }
}
