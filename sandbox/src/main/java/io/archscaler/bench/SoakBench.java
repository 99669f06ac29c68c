package io.archscaler.bench;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.testing.SandboxScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Steady churn against the sandbox: pods arrive at a fixed rate and each is deleted a fixed time
 * later, while the real controller (informers, batching, planner, simulated provider) and the
 * stand-in scheduler keep up. Heap after a full collection is taken once the population has
 * settled and again at the end, so a leak shows as growth. The API server is the sandbox's CRUD
 * mock without its request journal and Event store ({@link BenchApiServer}): both grow with
 * every request and would hide the controller's own heap.
 */
public final class SoakBench {
    /** New pods a second. */
    public static final int ARRIVALS_PER_SECOND = 20;
    private static final String NAMESPACE = "soak";
    private static final String CONFIG = """
            cluster: soak
            nodeGroups:
              - name: arm-general
                provider: simulated
                instanceType: m7g.xlarge
                maxSize: 1000
                simulated: {registrationDelay: 2s}
              - name: x86-general
                provider: simulated
                instanceType: m6i.xlarge
                maxSize: 1000
                simulated: {registrationDelay: 2s}
            scaleUp: {batchIdle: 200ms, batchMax: 2s, maxNodesTotal: 5000, maxNodeProvisionTime: 1m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            webhook: {enabled: false}
            """;

    private final Duration duration;
    private final Duration lifetime;
    private final Consumer<String> progress;
    private final Memory memory = new Memory();

    public SoakBench(Duration duration, Consumer<String> progress) {
        if (duration.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--soak must be at least 10s (got " + duration.toMillis() + "ms)");
        }
        this.duration = duration;
        // pods live a quarter of the run (at most 30 s), so the population settles well before the first heap reading
        Duration quarter = duration.dividedBy(4);
        this.lifetime = quarter.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : quarter;
        this.progress = progress;
    }

    public SoakResult run() {
        ArchscalerConfig config = ConfigLoader.standard().parse(CONFIG, "soak-bench.yaml");
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "bench-soak");
            t.setDaemon(true);
            return t;
        });
        Vertx vertx = Vertx.vertx();
        AtomicInteger decisions = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (BenchApiServer cluster = new BenchApiServer(); ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            KubernetesClient client = cluster.client();
            KubeTranslation kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
            ProviderSet providers = new ProviderFactory(client, executor, 1.0).build(config);
            Controller controller = new Controller(vertx, config, Controller.Parts.builder(client, kube, metrics)
                    .providers(providers.byGroup(), providers.openCircuits())
                    .identity("archscaler-soak-0")
                    .decisionSinks(List.of(d -> {
                        if (Decision.FAILED.equals(d.outcome())) {
                            failed.incrementAndGet();
                        } else {
                            decisions.incrementAndGet();
                        }
                    }))
                    .build());
            controller.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            SandboxScheduler scheduler = new SandboxScheduler(client,
                    new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
            executor.scheduleWithFixedDelay(() -> quietly(scheduler::schedulePass), 0, 250, TimeUnit.MILLISECONDS);
            executor.scheduleWithFixedDelay(() -> quietly(cluster::drainRequestJournal), 1, 1, TimeUnit.SECONDS);
            Churn churn = new Churn(client);
            progress.accept(String.format(Locale.ROOT, "soak: %d pods/s, each deleted after %ds, for %ds",
                    ARRIVALS_PER_SECOND, lifetime.toSeconds(), duration.toSeconds()));
            long startNanos = System.nanoTime();
            long settleAt = startNanos + duration.toNanos() / 3;
            long endAt = startNanos + duration.toNanos();
            double heapStart = -1;
            int decisionsAtStart = 0;
            long nextReport = startNanos + 10_000_000_000L;
            long tick = 1_000_000_000L / ARRIVALS_PER_SECOND;
            for (long due = startNanos; due < endAt; due += tick) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                churn.step(Instant.now());
                if (heapStart < 0 && System.nanoTime() >= settleAt) {
                    heapStart = memory.heapAfterGcMiB();
                    decisionsAtStart = decisions.get();
                    progress.accept(String.format(Locale.ROOT, "soak: settled, heap after GC %.1f MiB", heapStart));
                }
                if (System.nanoTime() >= nextReport) {
                    nextReport += 10_000_000_000L;
                    progress.accept(String.format(Locale.ROOT, "soak: %ds, %,d pods created, %,d deleted, %d decisions",
                            (System.nanoTime() - startNanos) / 1_000_000_000L, churn.created, churn.deleted, decisions.get()));
                }
            }
            double heapEnd = memory.heapAfterGcMiB();
            int nodes = client.nodes().list().getItems().size();
            List<Pod> left = client.pods().inNamespace(NAMESPACE).list().getItems();
            long pending = left.stream().filter(p -> p.getSpec().getNodeName() == null).count();
            int scheduled = scheduler.pendingToScheduled().size();
            controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new SoakResult(duration.toSeconds(), ARRIVALS_PER_SECOND, lifetime.toSeconds(), churn.created,
                    churn.deleted, scheduled, (int) pending, nodes, decisions.get(), decisions.get() - decisionsAtStart,
                    failed.get(), heapStart, heapEnd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("soak interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("soak failed: " + e.getMessage(), e);
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Creates one pod per step and deletes those that have lived their time. */
    private final class Churn {
        private final KubernetesClient client;
        private final Deque<Pod> alive = new ArrayDeque<>();
        private final Deque<Instant> born = new ArrayDeque<>();
        int created;
        int deleted;

        Churn(KubernetesClient client) {
            this.client = client;
        }

        void step(Instant now) {
            Pod pod = BenchPods.pod(NAMESPACE, "soak", created, now);
            try {
                client.pods().inNamespace(NAMESPACE).resource(pod).create();
                alive.addLast(pod);
                born.addLast(now);
                created++;
            } catch (RuntimeException e) {
                progress.accept("soak: could not create a pod: " + e.getMessage());
            }
            while (!born.isEmpty() && born.peekFirst().plus(lifetime).isBefore(now)) {
                Pod old = alive.removeFirst();
                born.removeFirst();
                try {
                    client.pods().inNamespace(NAMESPACE).withName(old.getMetadata().getName()).delete();
                    deleted++;
                } catch (RuntimeException e) {
                    progress.accept("soak: could not delete a pod: " + e.getMessage());
                }
            }
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // the next pass tries again
        }
    }
}
