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
public record FleetConfig(ArchscalerConfig shared, KafkaConfig kafka, Fleet fleet, List<FleetCluster> clusters,
                          Optional<Path> clustersDir) {
    public FleetConfig {
        clusters = List.copyOf(clusters);
    }

    /**
     * The {@code fleet:} section.
     *
     * @param sessionTimeout the consumer group's session timeout: how soon a dead replica's clusters move
     * @param scaleUpsTopic  the compacted topic scale-up intents are written to
     * @param metricWindow   how far back a new owner reads metric samples of the clusters it takes over
     */
    public record Fleet(java.time.Duration sessionTimeout, String scaleUpsTopic, java.time.Duration metricWindow) {
        public static final Fleet DEFAULTS = new Fleet(java.time.Duration.ofSeconds(10), "archscaler.fleet-scaleups",
                java.time.Duration.ofMinutes(2));
    }

    public Optional<FleetCluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
