package io.archscaler.cli;

import io.archscaler.cloud.ProviderException;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.MetricsCallObserver;
import io.archscaler.providers.ProviderErrors;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code archscaler run}: the controller, in a cluster or against the current kubeconfig. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the controller against the in-cluster service account or the current kubeconfig.")
public final class RunCommand extends ArchscalerCommand {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Override
    protected int run() {
        try {
            return runController();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new CliException("controller failed to start: " + e.getMessage(), e);
        }
    }

    /** Every group's provider after discovery; a provider that cannot be asked is one line, not a stack trace. */
    private static ProviderSet providers(KubernetesClient client, ScheduledExecutorService executor,
                                         ArchscalerMetrics metrics, ArchscalerConfig cfg) {
        try {
            return new ProviderFactory(client, executor, 1.0).withObserver(new MetricsCallObserver(metrics)).build(cfg);
        } catch (ProviderException e) {
            throw new CliException(ProviderErrors.oneLine(e), e);
        }
    }

    private int runController() throws InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        ArchscalerConfig cfg = ConfigLoader.standard().load(config);
        String identity = System.getenv().getOrDefault("POD_NAME",
                System.getenv().getOrDefault("HOSTNAME", "archscaler")) + "-" + UUID.randomUUID().toString().substring(0, 8);
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        Vertx vertx = Vertx.vertx();
        CountDownLatch stopped = new CountDownLatch(1);
        try (KubernetesClient client = new KubernetesClientBuilder().build();
             ArchscalerMetrics metrics = new ArchscalerMetrics();
             ProviderSet providers = providers(client, executor, metrics, cfg)) {
            Controller controller = new Controller(vertx, cfg, new Controller.Parts(client,
                    new KubeTranslation(providers.membership()), providers.byGroup(),
                    providers.openCircuits(), metrics, List.of(), List.of(), null, identity, "0.0.0.0",
                    cfg.http().port(), Clock.systemUTC()));
            controller.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            err().println("archscaler: running as " + identity + " for cluster " + cfg.cluster()
                    + " against " + client.getMasterUrl() + "; http on port " + controller.httpPort());
            err().flush();
            // SIGTERM: stop acting, release the lease, let in-flight calls finish
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // shutting down anyway
                } finally {
                    stopped.countDown();
                }
            }, "archscaler-shutdown"));
            stopped.await();
            return 0;
        } finally {
            executor.shutdownNow();
            vertx.close();
        }
    }
}
