package io.archscaler.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A fleet file: the sections every cluster shares (Kafka is required), the clusters listed inline,
 * and the directory of per-cluster files, if any, read again while running.
 *
 * @param shared   the shared sections as a config with no cluster of its own ({@code cluster} is empty, no groups)
 * @param clusters the clusters given under {@code clusters:}
 */
public record FleetConfig(ArchscalerConfig shared, KafkaConfig kafka, List<FleetCluster> clusters,
                          Optional<Path> clustersDir) {
    public FleetConfig {
        clusters = List.copyOf(clusters);
    }

    public Optional<FleetCluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
