package io.archscaler.cli;

import io.archscaler.VertxFactory;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ExpanderConfig;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.expander.BestOptionsService;
import io.archscaler.expander.ExpanderCalls;
import io.archscaler.expander.ExpanderServer;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code archscaler expander}: only the Cluster Autoscaler gRPC expander (for clusters that keep CA),
 * with {@code /metrics}, {@code /healthz}, {@code /readyz} and {@code /status} on {@code http.port}.
 * Images are looked up anonymously: without a Kubernetes client it reads no pull secrets.
 */
@Command(name = "expander", mixinStandardHelpOptions = true,
        description = "Serve Cluster Autoscaler's gRPC expander (--expander=grpc) with Archscaler's arch-aware ranking.")
public final class ExpanderCommand extends ArchscalerCommand {
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Override
    protected int run() {
        ArchscalerConfig cfg = ConfigLoader.standard().load(config);
        ExpanderConfig expander = cfg.expander().orElseThrow(() -> new CliException(config
                + ": no expander block: give expander.certFile and expander.keyFile (see docs/cluster-autoscaler.md)"));
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics) {
            ImageResolver resolver = ImageResolver.create(cfg.images().registries(), Clock.systemUTC(),
                    MetricsObservers.images(metrics));
            ExpanderCalls calls = new ExpanderCalls();
            BestOptionsService service = BestOptionsService.forConfig(cfg,
                    new PodImageArchs(resolver, cfg.images().registries().onUnknown()), PullSecretResolver.NONE, metrics, calls);
            ExpanderServer server = new ExpanderServer(expander, service);
            HttpEndpoints http = new HttpEndpoints("0.0.0.0", cfg.http().port(), metrics, () -> true, null);
            vertx.eventBus().consumer(HttpEndpoints.STATUS_ADDRESS,
                    m -> m.reply(new JsonObject().put("cluster", cfg.cluster()).put("expander", calls.toJson())));
            vertx.deployVerticle(server).compose(id -> vertx.deployVerticle(http))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            err().println("archscaler: gRPC expander on port " + server.actualPort() + (expander.plaintext() ? " (plaintext)" : " (TLS)")
                    + "; http on port " + http.actualPort());
            err().flush();
            Thread hook = new Thread(this::requestStop, "archscaler-expander-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopRequested.await();
            } finally {
                RunCommand.removeHook(hook);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException e) {
            // the cause names what failed, e.g. which certificate file cannot be read
            throw new CliException("expander failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CliException("expander failed to start within 60s", e);
        } finally {
            closeServers(vertx);
        }
    }

    /** Closes Vert.x and so both ports before the command returns: a restart can bind them again at once. */
    private static void closeServers(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // nothing left to do: the process is ending
        }
    }

    /** Asks the running expander to stop as SIGTERM does (tests, embedding). */
    void requestStop() {
        stopRequested.countDown();
    }
}
