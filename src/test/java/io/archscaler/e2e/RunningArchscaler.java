package io.archscaler.e2e;

import io.archscaler.VertxFactory;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Archscaler's controller running out of cluster against a real API server, wired as
 * {@code archscaler run} wires it (providers from the config, informers, HTTP, webhook, leader
 * election), with whatever identity the given client carries. Closing it stops the controller
 * and closes the client.
 */
final class RunningArchscaler implements AutoCloseable {
    private final KubernetesClient client;
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final Vertx vertx = VertxFactory.create(metrics);
    private final ProviderSet providers;
    private final Controller controller;

    /** Starts the controller from {@code configYaml}; returns once its informers have synced. */
    RunningArchscaler(KubernetesClient client, String configYaml, String identity) throws Exception {
        this.client = client;
        ArchscalerConfig config = ConfigLoader.standard().parse(configYaml, "e2e.yaml");
        providers = new ProviderFactory(client, executor, 1.0).build(config);
        controller = new Controller(vertx, config, new Controller.Parts(client, new KubeTranslation(providers.membership()),
                providers.byGroup(), providers.openCircuits(), metrics, List.of(), List.of(), identity, "127.0.0.1", 0,
                Clock.systemUTC()));
        try {
            controller.start().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The plain HTTP port ({@code /metrics}, {@code /status}, ...). */
    int httpPort() {
        return controller.httpPort();
    }

    @Override
    public void close() throws Exception {
        try {
            controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
            providers.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            metrics.close();
            client.close();
        }
    }
}
