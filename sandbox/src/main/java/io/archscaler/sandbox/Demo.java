package io.archscaler.sandbox;

import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.HttpConfig;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ScaleDownConfig;
import io.archscaler.config.ScaleUpConfig;
import io.archscaler.controller.Controller;
import io.archscaler.events.Decision;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.VertxFactory;
import io.archscaler.metrics.MetricNames;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.archscaler.testing.SqsQueueServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;


/**
 * The sandbox: a Kubernetes cluster (fabric8's mock API in-process with a stand-in scheduler, or a
 * real control plane: see {@link DemoCluster}), simulated node groups (arm64 spot first, then arm64
 * and amd64 on-demand) and the real controller, playing a scripted mixed-arch workload while printing
 * progress, then a summary.
 */
public final class Demo {
    /** How the demo runs. */
    public record Options(int httpPort, double speed, boolean keepRunning, boolean json, PrintWriter out) {
    }

    private static final String CONFIG_RESOURCE = "/io/archscaler/sandbox/demo-config.yaml";
    private static final Map<String, String> AMD64_ONLY = Map.of("kubernetes.io/arch", "amd64");
    private static final String AMD64_ONLY_IMAGE = "/acme/reports:3.1";
    /** Marks the pods of the bursts that end in the script's last step. */
    private static final String LOAD_LABEL = "demo.archscaler.io/load";

    /** Opens the cluster the demo drives. */
    @FunctionalInterface
    interface Backend {
        DemoCluster open(Vertx vertx, Clock clock, Consumer<String> say) throws Exception;
    }

    private final Options options;
    private final Backend backend;
    private final Clock clock = Clock.systemUTC();
    private final DemoDecisions decisions = new DemoDecisions();
    private Instant startedAt;
    private Instant loadDroppedAt;
    private Instant hpaActedAt;
    private String images;

    public Demo(Options options) {
        this(options, (vertx, clock, say) -> new SandboxDemoCluster(vertx, clock));
    }

    Demo(Options options, Backend backend) {
        this.options = options;
        this.backend = backend;
    }

    public static ArchscalerConfig config(int httpPort) {
        return config(httpPort, 1);
    }

    /** The demo's config; {@code speed} divides scale-down's waits and the backoff as it divides the script's pauses. */
    public static ArchscalerConfig config(int httpPort, double speed) {
        return config(httpPort, speed, "");
    }

    /** The demo's config with a backend's own sections ({@link DemoCluster#extraConfig()}) appended. */
    static ArchscalerConfig config(int httpPort, double speed, String extraYaml) {
        try (InputStream in = Demo.class.getResourceAsStream(CONFIG_RESOURCE)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8) + extraYaml;
            ArchscalerConfig c = ConfigLoader.standard().parse(yaml, "demo-config.yaml");
            ScaleDownConfig d = c.scaleDown();
            ScaleDownConfig down = d.withDelays(new ScaleDownConfig.Delays(divide(d.unneededTime(), speed),
                    divide(d.delayAfterAdd(), speed), divide(d.delayAfterFailure(), speed)));
            ScaleUpConfig u = c.scaleUp();
            ScaleUpConfig up = new ScaleUpConfig(u.batching(), u.limits(), u.provisioning(), new ScaleUpConfig.Backoff(
                    divide(u.backoffInitial(), speed), divide(u.backoffMax(), speed),
                    divide(u.offeringUnavailableFor(), speed)), u.headroomTtl());
            return c.withHttp(new HttpConfig(httpPort)).withScaleDown(down).withScaleUp(up);
        } catch (IOException e) {
            throw new IllegalStateException("demo config missing from the jar", e);
        }
    }

    /** How long a step of the script waits for the controller to settle (pods bound, moves done, nodes removed). */
    static Duration stepWait(double speed) {
        return Duration.ofSeconds((long) (90 / speed) + 30);
    }

    private static Duration divide(Duration d, double speed) {
        return Duration.ofMillis((long) (d.toMillis() / speed));
    }

    public DemoSummary run() throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox");
            t.setDaemon(true);
            return t;
        });
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics; DemoCluster cluster = backend.open(vertx, clock, this::say);
             DemoSpotInterruption spot = new DemoSpotInterruption(clock);
             SandboxRegistry registry = new SandboxRegistry(vertx,
                     List.of("acme/web", "acme/worker", "acme/checkout", "acme/storefront"),
                     List.of("acme/billing", "acme/reports"))) {
            ArchscalerConfig config = config(options.httpPort(), options.speed(),
                    cluster.extraConfig() + spot.extraConfig());
            KubernetesClient client = cluster.client();
            KubeTranslation kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
            ProviderFactory factory = new ProviderFactory(client, executor, options.speed())
                    .withObserver(MetricsObservers.providerCalls(metrics));
            ProviderSet providers = factory.build(config);
            SimulatedProvider cloud = providers.simulated().orElseThrow();
            Controller controller = new Controller(vertx, config, Controller.Parts.builder(client, kube, metrics)
                    .providers(providers.byGroup(), providers.openCircuits())
                    .halfOpenCircuits(providers.halfOpenCircuits())
                    .identity("archscaler-demo-0")
                    // ElasticMQ takes any key: the SDK is kept from looking for real ones
                    .interruptionQueue(factory.withAwsCredentials(SqsQueueServer.CREDENTIALS)
                            .interruptionQueue(config).orElseThrow())
                    // on the scaling loop's context, as each decision is made
                    .decisionSinks(List.of(d -> {
                        decisions.add(d);
                        say("decision: " + d.describe());
                    }))
                    .http("127.0.0.1", options.httpPort())
                    .clock(clock)
                    .build());
            controller.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            startedAt = clock.instant();
            images = registry.host();
            cluster.attach(new DemoCluster.Attachment(controller.httpPort(), kube, executor, images + AMD64_ONLY_IMAGE));
            DemoMoves moves = new DemoMoves(client, decisions, clock);
            // each count of the budgets, before evicted pods are replaced, so the moves' dips in health are seen
            cluster.observeBudgets(moves::observe);
            say("sandbox up: " + cluster.describe() + ", registry " + images + ", Archscaler on http://127.0.0.1:"
                    + controller.httpPort() + " (/metrics /status /healthz /readyz /mutate-pods), "
                    + spot.describe());
            say("node groups: " + describeGroups(config));
            executor.scheduleAtFixedRate(() -> safely(() -> progress(vertx, cluster, metrics)), 1, 1,
                    TimeUnit.SECONDS);
            play(cluster, cloud);
            awaitSettled(cluster, stepWait(options.speed()));
            DemoSnapshot peak = DemoSnapshot.take(cluster, config);
            step("arm64 capacity is back: arm-general launches again; once its backoff passes, the pods that fell back"
                    + " move to arm64 and their amd64 nodes go", () -> {
                        moves.begin(cluster.waitsToBind().keySet());
                        cluster.evictionsReplaceFromNow();
                        cloud.setCapacityShortage("arm-general", false);
                    });
            if (!moves.awaitDone(() -> status(vertx).getJsonObject("restores"), () -> allScheduled(cluster),
                    Duration.ofMillis((long) (1500 / options.speed())),
                    stepWait(options.speed()))) {
                say("timed out waiting for the moves to arm64");
            }
            DemoSummary.Restore restored = new DemoSummary.Restore(decisions.restores().size(),
                    DemoSnapshot.take(cluster, config),
                    DemoMoves.optimalCost(client, List.copyOf(providers.byGroup().keySet()), kube),
                    moves.end(cluster.waitsToBind(), DemoMoves.registrationDelay(config, options.speed())));
            DemoSpotInterruption.Result interrupted = spot.step(cluster, this::say);
            awaitNodesSettled(cluster, config.scaleDown().delayAfterAdd());
            step("load goes away: the checkout and worker bursts end (16 pods deleted); idle nodes are removed,"
                    + " amd64 first", () -> {
                        loadDroppedAt = clock.instant();
                        cluster.endWorkloads(LOAD_LABEL, "burst");
                    });
            awaitScaledDown(cluster, metrics, stepWait(options.speed()));
            DemoSummary summary = summarize(peak, DemoSnapshot.take(cluster, config), cluster, restored)
                    .withSpotInterruption(interrupted);
            executor.shutdownNow();
            options.out().println(summary.toTable());
            if (options.json()) {
                options.out().println(summary.toJson().encode());
            }
            options.out().flush();
            if (options.keepRunning()) {
                say("--keep-running: serving on http://127.0.0.1:" + controller.httpPort() + " until stopped");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            }
            controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return summary;
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code arm-spot (simulated m7g.large, arm64 spot $0.0327/h, weight 200, max 4), …} as configured. */
    static String describeGroups(ArchscalerConfig config) {
        List<String> out = new ArrayList<>();
        for (NodeGroupConfig g : config.nodeGroups()) {
            out.add(String.format(Locale.ROOT, "%s (%s %s, %s %s $%.4f/h, weight %d, max %d)", g.name(),
                    g.provider().id(), g.instanceType(), g.arch().label(), g.capacityType().label(), g.pricePerHour(),
                    g.weight(), g.maxSize()));
        }
        return String.join(", ", out);
    }

    private void play(DemoCluster cluster, SimulatedProvider cloud) throws InterruptedException {
        String storefront = images + "/acme/storefront:4.2";
        step(0, "storefront: a Deployment of 4 replicas (flexible, 500m / 1Gi) with an HPA (autoscaling/v2) on "
                + "http_requests_per_second, target 100 per pod", () ->
                admitted(cluster.deploy(new DemoWorkload.Spec("storefront", 4, storefront, "500m", "1Gi"),
                        DemoWorkload.hpa("storefront", "http_requests_per_second", "100", 4, 8))));
        step(0, "8 replicas of web (multi-arch image, 500m cpu / 1Gi): flexible, should land on arm64", () ->
                admitted(cluster.deploy(new DemoWorkload.Spec("web", 8, images + "/acme/web:2.3", "500m", "1Gi"), null)));
        step(5, "3 replicas of billing-legacy (nodeSelector kubernetes.io/arch=amd64, 700m / 1Gi): arch-locked", () ->
                admitted(cluster.deploy(new DemoWorkload.Spec("billing-legacy", 3, images + "/acme/billing:1.8", "700m",
                        "1Gi").withNodeSelector(AMD64_ONLY), null)));
        step(8, "2 replicas of reports (no arch constraint, but its image is published for amd64 only)", () ->
                admitted(cluster.deploy(new DemoWorkload.Spec("reports", 2, images + AMD64_ONLY_IMAGE, "500m", "1Gi"),
                        null)));
        step(12, "burst: 9 replicas of worker (flexible, 500m / 1Gi)", () ->
                admitted(cluster.deploy(new DemoWorkload.Spec("worker", 9, images + "/acme/worker:5.0", "500m", "1Gi")
                        .withLabel(LOAD_LABEL, "burst"), null)));
        step(16, "load climbs on storefront: 300 requests/s per pod against a target of 100 (a metric event)", () ->
                cluster.loadClimbs("storefront", "http_requests_per_second", 300));
        step(22, "the HPA acts: storefront scales from 4 to 8 replicas", () ->
                hpaActedAt = cluster.hpaActs("storefront", 4, 8));
        step(26, "arm64 capacity shortage: arm-general now fails with InsufficientInstanceCapacity", () ->
                cloud.setCapacityShortage("arm-general", true));
        step(27, "burst: 7 replicas of checkout (flexible, 500m / 1Gi, a PodDisruptionBudget of minAvailable 4) while"
                + " arm64 has no capacity", () -> {
                    cluster.client().resource(DemoWorkload.disruptionBudget("checkout", 4)).create();
                    admitted(cluster.deploy(new DemoWorkload.Spec("checkout", 7, images + "/acme/checkout:1.1", "500m",
                            "1Gi").withLabel(LOAD_LABEL, "burst"), null));
                });
    }

    /** Says so when the placement webhook pinned the pods to their images' architectures. */
    private void admitted(List<Pod> admitted) {
        if (admitted.isEmpty()) {
            return;
        }
        Pod first = admitted.get(0);
        String source = first.getMetadata().getAnnotations() == null ? null
                : first.getMetadata().getAnnotations().get("archscaler.io/arch-source");
        if (source != null) {
            say("admission: the placement webhook pinned " + first.getMetadata().getLabels().get("app")
                    + " to its images' architectures (archscaler.io/arch-source: " + source + ")");
        }
    }

    private void step(double atSeconds, String what, Runnable action) throws InterruptedException {
        long dueMillis = (long) (atSeconds * 1000 / options.speed());
        long wait = dueMillis - Duration.between(startedAt, clock.instant()).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        step(what, action);
    }

    private void step(String what, Runnable action) {
        say("script: " + what);
        action.run();
    }

    /**
     * Until every node and the last scale-up are older than delayAfterAdd, so that when the load
     * goes away all idle nodes become removable together and the order among them is scale-down's.
     */
    private void awaitNodesSettled(DemoCluster cluster, Duration delayAfterAdd) throws InterruptedException {
        Instant newest = startedAt;
        for (Node n : cluster.nodes()) {
            Instant created = Instant.parse(n.getMetadata().getCreationTimestamp());
            newest = created.isAfter(newest) ? created : newest;
        }
        for (Decision d : decisions.all()) {
            newest = d.time().isAfter(newest) ? d.time() : newest;
        }
        long wait = Duration.between(clock.instant(), newest.plus(delayAfterAdd)).toMillis() + 200;
        Thread.sleep(Math.max((long) (500 / options.speed()), wait));
    }

    /** Every replica of every workload exists and is bound to a node. */
    private static boolean allScheduled(DemoCluster cluster) {
        List<Pod> pods = cluster.pods();
        int wanted = cluster.replicas().values().stream().mapToInt(Integer::intValue).sum();
        return pods.size() == wanted && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
    }

    private void awaitSettled(DemoCluster cluster, Duration timeout)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (clock.instant().isBefore(deadline)) {
            if (allScheduled(cluster)) {
                return;
            }
            Thread.sleep(200);
        }
        say("timed out waiting for every pod to be scheduled");
    }

    /**
     * Until scale-down is done: something was removed, no node is draining, every pod is back on a
     * node and the last scans found no unneeded node, twice a few seconds apart.
     */
    private void awaitScaledDown(DemoCluster cluster, ArchscalerMetrics metrics,
                                 Duration timeout) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        int quiet = 0;
        while (clock.instant().isBefore(deadline) && quiet < 2) {
            Thread.sleep((long) (1500 / options.speed()));
            boolean draining = cluster.nodes().stream().anyMatch(n -> n.getSpec().getTaints() != null
                    && n.getSpec().getTaints().stream().anyMatch(t -> ScaleDownAnnotations.TO_BE_DELETED_TAINT.equals(t.getKey())));
            boolean done = !decisions.scaleDowns(loadDroppedAt).isEmpty() && !draining && unneeded(metrics) == 0
                    && allScheduled(cluster);
            quiet = done ? quiet + 1 : 0;
        }
        if (quiet < 2) {
            say("timed out waiting for scale-down to finish");
        }
    }

    /** Nodes the last scale-down scan found unneeded, waiting out unneededTime or about to go. */
    private static int unneeded(ArchscalerMetrics metrics) {
        return (int) metrics.registry().find(MetricNames.UNNEEDED_NODES).gauges().stream()
                .mapToDouble(g -> g.value()).sum();
    }

    private void progress(Vertx vertx, DemoCluster cluster, ArchscalerMetrics metrics) {
        JsonObject status = status(vertx);
        JsonObject pending = status.getJsonObject("pendingPods");
        JsonObject by = pending.getJsonObject("byArchConstraint");
        Map<String, int[]> perArch = new HashMap<>();
        status.getJsonArray("nodeGroups").forEach(o -> {
            JsonObject g = (JsonObject) o;
            int[] v = perArch.computeIfAbsent(g.getString("arch"), a -> new int[2]);
            v[0] += g.getInteger("size");
            v[1] += g.getInteger("inFlight");
        });
        int[] arm = perArch.getOrDefault("arm64", new int[2]);
        int[] amd = perArch.getOrDefault("amd64", new int[2]);
        int wanted = cluster.replicas().values().stream().mapToInt(Integer::intValue).sum();
        String removed = loadDroppedAt == null ? "" : " | unneeded " + unneeded(metrics) + ", removed "
                + decisions.scaleDowns(loadDroppedAt).size();
        say(String.format(Locale.ROOT, "pending %2d (flexible %d, amd64-only %d) | nodes arm64 %d (+%d coming), "
                        + "amd64 %d (+%d coming) | scheduled %d/%d%s", pending.getInteger("total"),
                by.getInteger("flexible", 0), by.getInteger("amd64-only", 0), arm[0], arm[1], amd[0], amd[1],
                status.getInteger("scheduledPods"), wanted, removed));
    }

    /** The controller's {@code /status}. */
    private static JsonObject status(Vertx vertx) {
        return vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                .toCompletionStage().toCompletableFuture().join().body();
    }

    private DemoSummary summarize(DemoSnapshot peak, DemoSnapshot end, DemoCluster cluster, DemoSummary.Restore restored) {
        // removed when the load went away: scale-down may also take a fallback node during the moves
        List<String> scaleDownArchs = decisions.scaleDowns(loadDroppedAt).stream().map(Decision::arch).toList();
        List<Double> waits = new ArrayList<>();
        // how long pods waited for capacity
        cluster.waitsForCapacity().values().forEach(d -> waits.add(d.toMillis() / 1000.0));
        Collections.sort(waits);
        double aheadOfHpa = hpaActedAt == null ? 0 : decisions.secondsAheadOf(hpaActedAt);
        DemoSummary.Timings timings = new DemoSummary.Timings(percentile(waits, 0.50), percentile(waits, 0.99),
                aheadOfHpa, Duration.between(startedAt, clock.instant()).toMillis() / 1000.0);
        return new DemoSummary(peak, decisions.scaleUps(), timings, new DemoSummary.ScaleDown(scaleDownArchs, end),
                restored);
    }

    static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private void say(String line) {
        double t = startedAt == null ? 0 : Duration.between(startedAt, clock.instant()).toMillis() / 1000.0;
        synchronized (options.out()) {
            options.out().println(String.format(Locale.ROOT, "[%5.1fs] %s", t, line));
            options.out().flush();
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // the sandbox keeps going: a failed pass is retried on the next tick
        }
    }

}
