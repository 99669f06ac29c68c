package io.archscaler.config;

import java.util.Objects;

/**
 * One cluster of a fleet: how to reach it, and its configuration (the fleet's shared sections with
 * the cluster's name, node groups and overrides).
 *
 * @param source where it was read ({@code fleet.yaml} or one file of {@code clustersDir})
 */
public record FleetCluster(String name, ClusterAccess access, ArchscalerConfig config, String source) {
    public FleetCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(config, "config");
    }
}
