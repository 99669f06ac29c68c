package io.archscaler.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the Prometheus source reads the metrics HPAs use: every {@code interval} it evaluates one
 * query per HPA metric, given in {@code queries} or rendered from a prometheus-adapter rules file.
 *
 * @param adapterRules the prometheus-adapter configuration file ({@code rules:}, {@code externalRules:})
 */
public record PrometheusConfig(URI url, Duration interval, List<Query> queries, Optional<Path> adapterRules) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    public PrometheusConfig {
        queries = List.copyOf(queries);
    }

    /** The PromQL query whose value is {@code metric} of the HPA {@code namespace/hpa}. */
    public record Query(String namespace, String hpa, String metric, String query) {
        /** {@code namespace/hpa}. */
        public String hpaKey() {
            return namespace + "/" + hpa;
        }
    }
}
