package io.archscaler.sandbox;

import io.archscaler.VertxFactory;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.HttpConfig;
import io.archscaler.controller.Controller;
import io.archscaler.events.Decision;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.controller.ScalerVerticle;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;


/**
 * The sandbox: fabric8's mock Kubernetes API in-process, simulated node groups (arm64 weight 100,
 * amd64 weight 10), a stand-in scheduler and the real controller, playing a scripted mixed-arch
 * workload while printing progress, then a summary.
 */
public final class Demo {
    /** How the demo runs. */
    public record Options(int httpPort, double speed, boolean keepRunning, boolean json, PrintWriter out) {
    }

    private static final String CONFIG_RESOURCE = "/io/archscaler/sandbox/demo-config.yaml";
    private static final Map<String, String> AMD64_ONLY = Map.of("kubernetes.io/arch", "amd64");

    private final Options options;
    private final Clock clock = Clock.systemUTC();
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final List<String> lockedPods = new CopyOnWriteArrayList<>();
    private final List<String> flexiblePods = new CopyOnWriteArrayList<>();
    private Instant startedAt;
    private Instant hpaActedAt;
    private String images;
    private SandboxAdmission admission;

    public Demo(Options options) {
        this.options = options;
    }

    public static ArchscalerConfig config(int httpPort) {
        try (InputStream in = Demo.class.getResourceAsStream(CONFIG_RESOURCE)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            ArchscalerConfig c = ConfigLoader.standard().parse(yaml, "demo-config.yaml");
            return c.withHttp(new HttpConfig(httpPort));
        } catch (IOException e) {
            throw new IllegalStateException("demo config missing from the jar", e);
        }
    }

    public DemoSummary run() throws Exception {
        ArchscalerConfig config = config(options.httpPort());
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox");
            t.setDaemon(true);
            return t;
        });
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics; SandboxCluster cluster = new SandboxCluster();
             SandboxRegistry registry = new SandboxRegistry(vertx,
                     List.of("acme/web", "acme/worker", "acme/checkout", "acme/storefront"),
                     List.of("acme/billing", "acme/reports"))) {
            KubernetesClient client = cluster.client();
            KubeTranslation kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
            ProviderSet providers = new ProviderFactory(client, executor, options.speed())
                    .withObserver(MetricsObservers.providerCalls(metrics)).build(config);
            SimulatedProvider cloud = providers.simulated().orElseThrow();
            Controller controller = new Controller(vertx, config, new Controller.Parts(client, kube,
                    providers.byGroup(), providers.openCircuits(), metrics, List.of(), List.of(),
                    "archscaler-demo-0", "127.0.0.1", options.httpPort(), clock));
            controller.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            startedAt = clock.instant();
            images = registry.host();
            admission = new SandboxAdmission(java.net.URI.create("http://127.0.0.1:" + controller.httpPort()
                    + "/mutate-pods"));
            say("sandbox up: Kubernetes API " + cluster.url() + ", registry " + images + ", Archscaler on http://127.0.0.1:"
                    + controller.httpPort() + " (/metrics /status /healthz /readyz /mutate-pods)");
            say("node groups: arm-general (simulated m7g.large, arm64, weight 100, max 12), "
                    + "x86-general (simulated m6i.large, amd64, weight 10, max 10)");
            vertx.eventBus().<Decision>consumer(ScalerVerticle.DECISIONS_ADDRESS, m -> {
                decisions.add(m.body());
                say("decision: " + m.body().describe());
            });
            SandboxScheduler scheduler = new SandboxScheduler(client, kube, clock);
            executor.scheduleWithFixedDelay(() -> safely(scheduler::schedulePass), 0, 250, TimeUnit.MILLISECONDS);
            executor.scheduleAtFixedRate(() -> safely(() -> progress(vertx)), 1, 1, TimeUnit.SECONDS);
            play(client, cloud, vertx);
            awaitSettled(client, Duration.ofSeconds((long) (90 / options.speed()) + 30));
            DemoSummary summary = summarize(client, config, scheduler);
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

    private void play(KubernetesClient client, SimulatedProvider cloud, Vertx vertx) throws Exception {
        String storefront = images + "/acme/storefront:4.2";
        step(0, "storefront: a Deployment of 4 replicas (flexible, 500m / 1Gi) with an HPA (autoscaling/v2) on "
                + "http_requests_per_second, target 100 per pod", () -> {
            DemoWorkload.deployment("storefront", 4, storefront, "500m", "1Gi")
                    .forEach(o -> client.resource(o).create());
            client.resource(DemoWorkload.hpa("storefront", "http_requests_per_second", "100", 4, 16)).create();
            create(client, DemoWorkload.replicaSetPods("storefront", 0, 4, storefront, "500m", "1Gi", clock.instant()),
                    flexiblePods);
        });
        step(0, "8 replicas of web (multi-arch image, 500m cpu / 1Gi): flexible, should land on arm64", () ->
                create(client, DemoWorkload.replicas("web", 8, images + "/acme/web:2.3", "500m", "1Gi", Map.of(),
                        clock.instant()), flexiblePods));
        step(5, "3 replicas of billing-legacy (nodeSelector kubernetes.io/arch=amd64, 700m / 1Gi): arch-locked", () ->
                create(client, DemoWorkload.replicas("billing-legacy", 3, images + "/acme/billing:1.8", "700m", "1Gi",
                        AMD64_ONLY, clock.instant()), lockedPods));
        step(8, "2 replicas of reports (no arch constraint, but its image is published for amd64 only)", () ->
                create(client, DemoWorkload.replicas("reports", 2, images + "/acme/reports:3.1", "500m", "1Gi",
                        Map.of(), clock.instant()), lockedPods));
        step(12, "burst: 9 replicas of worker (flexible, 500m / 1Gi)", () ->
                create(client, DemoWorkload.replicas("worker", 9, images + "/acme/worker:5.0", "500m", "1Gi", Map.of(),
                        clock.instant()), flexiblePods));
        step(16, "load climbs on storefront: 300 requests/s per pod against a target of 100 (a metric event)", () ->
                vertx.eventBus().request(EventAddresses.METRICS, new MetricSample("sandbox", DemoWorkload.NAMESPACE,
                        "storefront", "http_requests_per_second", 300, clock.instant())));
        step(22, "the HPA acts: storefront scales from 4 to 8 replicas", () -> {
            hpaActedAt = clock.instant();
            create(client, DemoWorkload.replicaSetPods("storefront", 4, 4, storefront, "500m", "1Gi", clock.instant()),
                    flexiblePods);
        });
        step(26, "arm64 capacity shortage: arm-general now fails with InsufficientInstanceCapacity", () ->
                cloud.setCapacityShortage("arm-general", true));
        step(27, "burst: 7 replicas of checkout (flexible, 500m / 1Gi) while arm64 has no capacity", () ->
                create(client, DemoWorkload.replicas("checkout", 7, images + "/acme/checkout:1.1", "500m", "1Gi",
                        Map.of(), clock.instant()), flexiblePods));
    }

    /** A step of the script; it may throw, like the API calls it makes. */
    private interface Action {
        void run() throws Exception;
    }

    private void step(double atSeconds, String what, Action action) throws Exception {
        long dueMillis = (long) (atSeconds * 1000 / options.speed());
        long wait = dueMillis - Duration.between(startedAt, clock.instant()).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        say("script: " + what);
        action.run();
    }

    /** Creates pods as the API server would: through the admission webhook first. */
    private void create(KubernetesClient client, List<Pod> pods, List<String> names) throws Exception {
        for (Pod p : pods) {
            Pod admitted = admission.admit(p);
            client.pods().inNamespace(admitted.getMetadata().getNamespace()).resource(admitted).create();
            names.add(admitted.getMetadata().getNamespace() + "/" + admitted.getMetadata().getName());
        }
        if (!pods.isEmpty()) {
            Pod first = pods.get(0);
            Pod stored = client.pods().inNamespace(first.getMetadata().getNamespace())
                    .withName(first.getMetadata().getName()).get();
            String source = stored == null || stored.getMetadata().getAnnotations() == null ? null
                    : stored.getMetadata().getAnnotations().get("archscaler.io/arch-source");
            if (source != null) {
                say("admission: the placement webhook pinned " + first.getMetadata().getLabels().get("app")
                        + " to its images' architectures (archscaler.io/arch-source: " + source + ")");
            }
        }
    }

    private void awaitSettled(KubernetesClient client, Duration timeout) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (clock.instant().isBefore(deadline)) {
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            boolean allBound = pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
            if (allBound && pods.size() == lockedPods.size() + flexiblePods.size()) {
                return;
            }
            Thread.sleep(200);
        }
        say("timed out waiting for every pod to be scheduled");
    }

    private void progress(Vertx vertx) {
        JsonObject status = vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                .toCompletionStage().toCompletableFuture().join().body();
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
        say(String.format(Locale.ROOT, "pending %2d (flexible %d, amd64-only %d) | nodes arm64 %d (+%d coming), "
                        + "amd64 %d (+%d coming) | scheduled %d/%d", pending.getInteger("total"),
                by.getInteger("flexible", 0), by.getInteger("amd64-only", 0), arm[0], arm[1], amd[0], amd[1],
                status.getInteger("scheduledPods"), lockedPods.size() + flexiblePods.size()));
    }

    private DemoSummary summarize(KubernetesClient client, ArchscalerConfig config, SandboxScheduler scheduler) {
        Map<String, String> archOfNode = new HashMap<>();
        Map<String, Integer> nodesByArch = new HashMap<>(Map.of("arm64", 0, "amd64", 0));
        Map<String, Integer> nodesByGroup = new HashMap<>();
        for (Node n : client.nodes().list().getItems()) {
            String arch = n.getMetadata().getLabels().get("kubernetes.io/arch");
            archOfNode.put(n.getMetadata().getName(), arch);
            nodesByArch.merge(arch, 1, Integer::sum);
            nodesByGroup.merge(n.getMetadata().getLabels().get("archscaler.io/node-group"), 1, Integer::sum);
        }
        int scheduled = 0;
        int lockedOnAmd64 = 0;
        int flexibleOnArm64 = 0;
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node == null) {
                continue;
            }
            scheduled++;
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            String arch = archOfNode.get(node);
            if (lockedPods.contains(key) && Arch.AMD64.label().equals(arch)) {
                lockedOnAmd64++;
            }
            if (flexiblePods.contains(key) && Arch.ARM64.label().equals(arch)) {
                flexibleOnArm64++;
            }
        }
        int scaleUps = 0;
        int failed = 0;
        int fallbacks = 0;
        for (Decision d : decisions) {
            if (!"scale-up".equals(d.action())) {
                continue;
            }
            if ("failed".equals(d.outcome())) {
                failed++;
            } else {
                scaleUps++;
                if (d.reason() != null && d.reason().startsWith("fallback")) {
                    fallbacks += (int) d.pods().stream().filter(flexiblePods::contains).count();
                }
            }
        }
        List<NodeGroup> groups = new ArrayList<>();
        config.nodeGroups().forEach(g -> groups.add(g.toNodeGroup(0)));
        CostModel.Cost cost = CostModel.of(groups, nodesByGroup);
        List<Double> waits = new ArrayList<>();
        scheduler.pendingToScheduled().values().forEach(d -> waits.add(d.toMillis() / 1000.0));
        Collections.sort(waits);
        double aheadOfHpa = 0;
        for (Decision d : decisions) {
            boolean headroom = d.reason() != null && d.reason().startsWith("ahead of HPA");
            if (headroom && "requested".equals(d.outcome()) && hpaActedAt != null) {
                aheadOfHpa = Duration.between(d.time(), hpaActedAt).toMillis() / 1000.0;
                break;
            }
        }
        return new DemoSummary(lockedPods.size() + flexiblePods.size(), scheduled, nodesByArch, scaleUps, failed,
                fallbacks, lockedOnAmd64, lockedPods.size(), flexibleOnArm64, flexiblePods.size(), cost.perHour(),
                cost.allAmd64PerHour(), percentile(waits, 0.50), percentile(waits, 0.99),
                Duration.between(startedAt, clock.instant()).toMillis() / 1000.0, aheadOfHpa);
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
