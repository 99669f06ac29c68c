package io.archscaler.cli;

import io.archscaler.VertxFactory;
import io.archscaler.cloud.ProviderException;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.FleetConfig;
import io.archscaler.fleet.FleetController;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.providers.ProviderErrors;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code archscaler run}: the controller, in a cluster or against the current kubeconfig. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the controller against the in-cluster service account or the current kubeconfig.")
public final class RunCommand extends ArchscalerCommand {
    /** JVM property: the address HTTP binds to (default every interface); tests bind loopback only. */
    public static final String HTTP_HOST_PROPERTY = "archscaler.http.host";
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

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
            return new ProviderFactory(client, executor, 1.0).withObserver(MetricsObservers.providerCalls(metrics)).build(cfg);
        } catch (ProviderException e) {
            throw new CliException(ProviderErrors.oneLine(e), e);
        }
    }

    private int runController() throws InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        ConfigLoader loader = ConfigLoader.standard();
        String identity = System.getenv().getOrDefault("POD_NAME",
                System.getenv().getOrDefault("HOSTNAME", "archscaler")) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Optional<FleetConfig> fleet = loader.loadFleet(config);
        if (fleet.isPresent()) {
            return runFleet(fleet.get(), loader, identity);
        }
        ArchscalerConfig cfg = loader.load(config);
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        ArchscalerMetrics metrics = new ArchscalerMetrics(cfg.cluster());
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics; KubernetesClient client = new KubernetesClientBuilder().build();
             ProviderSet providers = providers(client, executor, metrics, cfg)) {
            Controller.Parts parts = Controller.Parts.builder(client, new KubeTranslation(providers.membership()), metrics)
                    .providers(providers.byGroup(), providers.openCircuits())
                    .halfOpenCircuits(providers.halfOpenCircuits())
                    .identity(identity)
                    .http(System.getProperty(HTTP_HOST_PROPERTY, "0.0.0.0"), cfg.http().port())
                    .interruptionQueue(new ProviderFactory(client, executor, 1.0).interruptionQueue(cfg).orElse(null))
                    .build();
            Controller controller = new Controller(vertx, cfg, parts);
            controller.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            err().println("archscaler: running as " + identity + " for cluster " + cfg.cluster()
                    + " against " + client.getMasterUrl() + "; http on port " + controller.httpPort());
            err().flush();
            // SIGTERM: stop acting, release the lease, let in-flight calls finish, then let the JVM go
            Thread hook = new Thread(() -> {
                requestStop();
                awaitQuietly(finished, 25);
            }, "archscaler-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopRequested.await();
            try {
                controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } finally {
                removeHook(hook);
            }
            return 0;
        } finally {
            executor.shutdownNow();
            vertx.close();
            finished.countDown();
        }
    }

    /** A fleet replica: serves the clusters whose partitions the consumer group gives it. */
    private int runFleet(FleetConfig fleet, ConfigLoader loader, String identity) throws InterruptedException,
            java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        ArchscalerMetrics metrics = ArchscalerMetrics.fleetReplica();
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics; KubernetesClient own = new KubernetesClientBuilder().build();
             FleetController controller = new FleetController(fleet, loader, identity, own, metrics, vertx)
                     .httpHost(System.getProperty(HTTP_HOST_PROPERTY, "0.0.0.0"))) {
            controller.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            err().println("archscaler: fleet replica " + identity + " in group " + fleet.kafka().groupId()
                    + "; http on port " + controller.httpPort());
            err().flush();
            Thread hook = new Thread(() -> {
                requestStop();
                awaitQuietly(finished, 60);
            }, "archscaler-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopRequested.await();
            removeHook(hook);
            return 0;
        } finally {
            vertx.close();
            finished.countDown();
        }
    }

    /** Asks a running controller to stop as SIGTERM does (tests, embedding). */
    void requestStop() {
        stopRequested.countDown();
    }

    /** Removes a shutdown hook unless the JVM is already running it. */
    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is what stopped us
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
