package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.FleetCluster;
import io.archscaler.config.FleetConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one cluster a command ({@code groups}, {@code plan}) works on: a single-cluster config's, or
 * the one {@code --cluster} names in a fleet file, listed inline or in its {@code clustersDir}.
 *
 * @param config the cluster's configuration, as the controller would run it
 * @param fleet  the fleet's entry for it (how to reach it); empty for a single-cluster config
 */
record ClusterSelection(ArchscalerConfig config, Optional<FleetCluster> fleet) {

    static ClusterSelection of(ConfigLoader loader, Path file, String cluster) {
        Optional<FleetConfig> fleet = loader.loadFleet(file);
        if (fleet.isEmpty()) {
            ArchscalerConfig single = loader.load(file);
            if (cluster != null && !cluster.equals(single.cluster())) {
                throw new CliException(file + " is the config of cluster " + single.cluster() + ", not " + cluster);
            }
            return new ClusterSelection(single, Optional.empty());
        }
        List<String> refused = new ArrayList<>();
        List<FleetCluster> all = new ArrayList<>(fleet.get().clusters());
        all.addAll(dirClusters(loader, fleet.get(), refused));
        List<String> names = all.stream().map(FleetCluster::name).toList();
        String known = " (clusters: " + String.join(", ", names) + ")"
                + (refused.isEmpty() ? "" : "; files refused: " + String.join("; ", refused));
        if (cluster == null) {
            throw new CliException(file + " is a fleet config: name one of its clusters with --cluster" + known);
        }
        FleetCluster found = all.stream().filter(c -> c.name().equals(cluster)).findFirst()
                .orElseThrow(() -> new CliException(file + " has no cluster " + cluster + known));
        return new ClusterSelection(found.config(), Optional.of(found));
    }

    /** The clusters of the fleet's directory that parse; each file that does not goes to {@code refused} with its error. */
    private static List<FleetCluster> dirClusters(ConfigLoader loader, FleetConfig fleet, List<String> refused) {
        if (fleet.clustersDir().isEmpty()) {
            return List.of();
        }
        List<Path> files;
        try {
            files = ConfigLoader.clusterFiles(fleet.clustersDir().get());
        } catch (IOException e) {
            throw new CliException("cannot list clustersDir " + fleet.clustersDir().get() + ": " + e.getMessage(), e);
        }
        List<FleetCluster> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(loader.loadFleetCluster(f, fleet));
            } catch (ConfigException e) {
                refused.add(e.getMessage());
            }
        }
        return out;
    }
}
