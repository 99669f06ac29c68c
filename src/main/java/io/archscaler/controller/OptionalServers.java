package io.archscaler.controller;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.AwsConfig;
import io.archscaler.config.ImagesConfig;
import io.archscaler.config.WebhookConfig;
import io.archscaler.expander.BestOptionsService;
import io.archscaler.expander.ExpanderCalls;
import io.archscaler.expander.ExpanderServer;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PodPlacementWebhook;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.scaler.interruption.InterruptionPolicy;
import io.archscaler.scaler.interruption.RebalanceMode;
import io.vertx.core.Deployable;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;

/**
 * The parts a config may ask for besides the scaling loop and the HTTP endpoints, wired to the
 * scaler: the image resolver with its users (image-aware planning, the placement webhook, the gRPC
 * expander: one resolver and cache for all three), the webhook's own TLS server, and the
 * interruption queue reader. Wiring only: what each part does is decided in the part.
 */
final class OptionalServers {
    private final List<Deployable> deployables = new ArrayList<>();
    private Handler<HttpServerRequest> webhookOnHttpPort;
    private ExpanderServer expander;
    private InterruptionReader interruptions;

    private OptionalServers() {
    }

    /** Wires what {@code config} and {@code parts} ask for into {@code scaler}; deploy {@link #deployables()} after it. */
    static OptionalServers wire(ArchscalerConfig config, Controller.Parts parts, ScalerVerticle scaler,
                                PodEventRecorder recorder, ExecutorService blocking) {
        OptionalServers servers = new OptionalServers();
        parts.interruptionQueue().ifPresent(q -> {
            servers.interruptions = new InterruptionReader(q, parts.metrics(), InterruptionReader.DEFAULT_RETRY_DELAY);
            servers.deployables.add(servers.interruptions);
            scaler.withInterruptions(new InterruptionPolicy(config.aws().interruptionQueue()
                    .map(AwsConfig.InterruptionQueue::rebalance).orElse(RebalanceMode.RECORD)), q.url());
        });
        ImagesConfig images = config.images();
        if (!images.resolve() && !config.webhook().enabled() && config.expander().isEmpty()) {
            return servers;
        }
        ImageLookupObserver observer = MetricsObservers.images(parts.metrics());
        ImageResolver resolver = ImageResolver.create(images.registries(), parts.clock(), observer);
        PodImageArchs archs = new PodImageArchs(resolver, images.registries().onUnknown());
        KubePullSecrets pullSecrets = new KubePullSecrets(parts.client(), blocking);
        if (images.resolve()) {
            scaler.withImages(new PodImageLookups(archs, pullSecrets, images.registries().timeout().multipliedBy(2)),
                    new MisplacedPodGuard(resolver, recorder, parts.metrics(), parts.client(), blocking,
                            images.evictMisplaced()));
        }
        config.expander().ifPresent(ex -> {
            ExpanderCalls calls = new ExpanderCalls();
            scaler.withExpander(calls);
            servers.expander = new ExpanderServer(ex, BestOptionsService.forConfig(config, archs, pullSecrets,
                    parts.metrics(), calls));
            servers.deployables.add(servers.expander);
        });
        WebhookConfig wh = config.webhook();
        if (wh.enabled()) {
            KubeSpotRatio spotRatio = new KubeSpotRatio(parts.client(), blocking, parts.clock(),
                    KubeSpotRatio.DEFAULT_IN_FLIGHT_WINDOW, parts.metrics()::webhookSpotRatio);
            Handler<HttpServerRequest> webhook = new WebhookHandler(new PodPlacementWebhook(archs, pullSecrets,
                    wh.timeout(), observer, spotRatio));
            if (wh.tls()) {
                servers.deployables.add(new WebhookServer(wh.port(), wh.certFile().orElseThrow(),
                        wh.keyFile().orElseThrow(), webhook));
            } else {
                servers.webhookOnHttpPort = webhook;
            }
        }
        return servers;
    }

    /** The servers and sources to deploy, in order. */
    List<Deployable> deployables() {
        return List.copyOf(deployables);
    }

    /** The placement webhook when it is served on the plain HTTP port ({@code webhook:} without a certificate). */
    Optional<Handler<HttpServerRequest>> webhookOnHttpPort() {
        return Optional.ofNullable(webhookOnHttpPort);
    }

    /** The gRPC expander's bound port, once deployed; empty without an {@code expander:} block. */
    OptionalInt expanderPort() {
        return expander == null ? OptionalInt.empty() : OptionalInt.of(expander.actualPort());
    }

    /** The interruption queue is read only while leading. */
    void setLeader(boolean leading) {
        if (interruptions != null) {
            interruptions.setLeader(leading);
        }
    }
}
