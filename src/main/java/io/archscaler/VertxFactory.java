package io.archscaler;

import io.archscaler.metrics.ArchscalerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.UUID;

/** Creates the application's Vert.x with its own meters (HTTP server, event bus, pools) on the Archscaler registry. */
public final class VertxFactory {
    private VertxFactory() {
    }

    /**
     * A Vert.x whose metrics go to {@code metrics}' registry, so {@code /metrics} shows them beside
     * Archscaler's own. Call it once per {@link ArchscalerMetrics}: binding twice would register
     * Vert.x's gauges twice, so a second call fails.
     */
    public static Vertx create(ArchscalerMetrics metrics) {
        MicrometerMetricsOptions options = new MicrometerMetricsOptions()
                .setEnabled(true)
                // ArchscalerMetrics binds the JVM meters itself; Vert.x binding them too would register them twice
                .setJvmMetricsEnabled(false)
                // vertx-micrometer keeps registries in a process-wide map by name: a name of its own per
                // binding keeps two controllers in one JVM (tests, a second replica) on their own registries
                .setRegistryName("archscaler-" + UUID.randomUUID());
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(options))
                .withMetrics(new MicrometerMetricsFactory(metrics.vertxRegistry()))
                .build();
    }
}
