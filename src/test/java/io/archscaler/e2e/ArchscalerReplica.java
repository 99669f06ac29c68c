package io.archscaler.e2e;

import io.archscaler.VertxFactory;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * One replica of Archscaler's controller out of cluster, wired as {@code archscaler run} wires it
 * (informers, scaling loop, HTTP, webhook, leader election, status ConfigMap) and acting with the
 * identity of its own client only. The node groups' provider is passed in: replicas share one
 * cloud, as two pods of the Deployment share one Auto Scaling group, and the simulated cloud makes
 * its Nodes with its own credentials (in a real cluster the kubelet registers them, not Archscaler).
 * Closing it stops the controller (releasing the Lease) and closes its client.
 */
final class ArchscalerReplica implements AutoCloseable {
    private final String identity;
    private final KubernetesClient client;
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();
    private final Vertx vertx = VertxFactory.create(metrics);
    private final Controller controller;

    /** Starts the controller; returns once its informers have synced and its HTTP port is bound. */
    ArchscalerReplica(ArchscalerConfig config, ProviderSet cloud, KubernetesClient client, String identity) throws Exception {
        this.identity = identity;
        this.client = client;
        controller = new Controller(vertx, config, Controller.Parts.builder(client, new KubeTranslation(cloud.membership()), metrics)
                .providers(cloud.byGroup(), cloud.openCircuits()).identity(identity).http("127.0.0.1", 0)
                .clock(Clock.systemUTC()).build());
        try {
            controller.start().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The name this replica holds the Lease under. */
    String identity() {
        return identity;
    }

    /** The plain HTTP port ({@code /metrics}, {@code /status}). */
    int httpPort() {
        return controller.httpPort();
    }

    @Override
    public void close() throws Exception {
        try {
            controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            metrics.close();
            client.close();
        }
    }
}
