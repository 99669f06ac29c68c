package io.archscaler.e2e;

import io.archscaler.VertxFactory;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.scaler.model.ScalePlan;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Archscaler's controller out of cluster against a real API server, wired as {@code archscaler run}
 * wires it, that keeps what it decided for the test to judge: every {@link Decision} (through a
 * decision sink, as the Kafka decisions topic gets them) and every {@link ScalePlan} as the scaler
 * publishes it, plus the simulated provider its config builds. Closing it stops the controller
 * and closes the client.
 */
final class ObservedArchscaler implements AutoCloseable {
    private final KubernetesClient client;
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final Vertx vertx = VertxFactory.create(metrics);
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final List<ScalePlan> plans = new CopyOnWriteArrayList<>();
    private final ProviderSet providers;
    private final Controller controller;

    /** Starts the controller from {@code configYaml} as {@code identity}; returns once its informers have synced. */
    ObservedArchscaler(KubernetesClient client, String configYaml, String identity) throws Exception {
        this.client = client;
        ArchscalerConfig config = ConfigLoader.standard().parse(configYaml, "e2e.yaml");
        providers = new ProviderFactory(client, executor, 1.0).build(config);
        controller = new Controller(vertx, config, Controller.Parts.builder(client, new KubeTranslation(providers.membership()), metrics)
                .providers(providers.byGroup(), providers.openCircuits()).decisionSinks(List.of(decisions::add))
                .planSinks(List.of((plan, batchClosed) -> plans.add(plan)))
                .identity(identity).http("127.0.0.1", 0).clock(Clock.systemUTC()).build());
        try {
            controller.start().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The plain HTTP port ({@code /metrics}, {@code /status}, the webhook without a certificate). */
    int httpPort() {
        return controller.httpPort();
    }

    /** Every decision so far, oldest first. */
    List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    /** Every plan made so far, oldest first. */
    List<ScalePlan> plans() {
        return List.copyOf(plans);
    }

    /** The simulated provider of the config's {@code simulated} groups (the config must have one). */
    SimulatedProvider simulated() {
        return providers.simulated().orElseThrow(() -> new IllegalStateException("the config has no simulated group"));
    }

    /** {@code /status} as the controller serves it now. */
    JsonObject status() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + controller.httpPort() + "/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body());
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
