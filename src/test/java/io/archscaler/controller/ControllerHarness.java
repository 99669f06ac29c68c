package io.archscaler.controller;

import io.archscaler.VertxFactory;
import io.archscaler.events.Decision;

import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SandboxScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.archscaler.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A sandbox cluster, simulated node groups, the stand-in scheduler and one or more controllers,
 * for tests that drive the whole loop through the Kubernetes API. The controllers read a clock the
 * test moves ({@link #time}), started at the wall clock's now so the stand-ins' timestamps (node
 * creation) compare with it; the stand-ins themselves (registration delay, scheduler) keep real time.
 */
final class ControllerHarness implements AutoCloseable {
    static final String CONFIG = """
            cluster: test
            nodeGroups:
              - name: arm
                provider: simulated
                instanceType: m7g.large
                maxSize: 5
                simulated: {registrationDelay: %2$s}
                %4$s
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: 5
                simulated: {registrationDelay: %2$s}
                %5$s
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 1m, backoffInitial: 5m}
            leaderElection: {enabled: %1$s, namespace: archscaler, leaseName: test, leaseDuration: 4s, renewDeadline: 3s, retryPeriod: 500ms}
            %3$s
            """;

    static final Duration BATCH_IDLE = Duration.ofMillis(200);

    final SandboxCluster cluster = new SandboxCluster();
    final KubernetesClient client = cluster.client();
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final ArchscalerConfig config;
    final KubeTranslation kube;
    final ProviderSet providers;
    final SimulatedProvider cloud;
    final SandboxScheduler scheduler;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    /** The controllers' clock and wake-ups: nothing of theirs happens on time until the test moves it. */
    final ClockWakeups time = new ClockWakeups(new MutableClock(Instant.now()));
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();

    ControllerHarness(boolean leaderElection) {
        this(leaderElection, "300ms");
    }

    ControllerHarness(boolean leaderElection, String registrationDelay) {
        this(leaderElection, registrationDelay, "");
    }

    /** {@code extraYaml}: more top-level config, such as a kafka block. */
    ControllerHarness(boolean leaderElection, String registrationDelay, String extraYaml) {
        this(new Setup().leaderElection(leaderElection).registrationDelay(registrationDelay).extraYaml(extraYaml));
    }

    ControllerHarness(Setup setup) {
        // image lookups stay off unless a test serves a registry on loopback
        String extra = setup.extraYaml.contains("images:") ? setup.extraYaml : setup.extraYaml + "\nimages: {resolve: false}";
        config = ConfigLoader.standard().parse(CONFIG.formatted(setup.leaderElection, setup.registrationDelay, extra,
                setup.armYaml, setup.x86Yaml), "test.yaml");
        kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
        providers = new ProviderFactory(client, executor, 1.0).withPolicy(setup.policy).build(config);
        cloud = providers.simulated().orElseThrow();
        scheduler = new SandboxScheduler(client,
                new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
        executor.scheduleWithFixedDelay(() -> {
            try {
                scheduler.schedulePass();
            } catch (RuntimeException e) {
                // next pass
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * What a test changes of the harness's defaults: no leader election, nodes registering in
     * 300ms, the groups' weights and prices from the bundled catalog, resilience's defaults.
     */
    static final class Setup {
        private boolean leaderElection;
        private String registrationDelay = "300ms";
        private String extraYaml = "";
        private String armYaml = "";
        private String x86Yaml = "";
        private ResiliencePolicy policy = ResiliencePolicy.defaults();

        Setup leaderElection(boolean on) {
            leaderElection = on;
            return this;
        }

        Setup registrationDelay(String delay) {
            registrationDelay = delay;
            return this;
        }

        /** More top-level config, such as a kafka or scaleDown block. */
        Setup extraYaml(String yaml) {
            extraYaml = yaml;
            return this;
        }

        /** The arm group's weight and price per hour. */
        Setup arm(int weight, double pricePerHour) {
            armYaml = group(weight, pricePerHour);
            return this;
        }

        /** The x86 group's weight and price per hour. */
        Setup x86(int weight, double pricePerHour) {
            x86Yaml = group(weight, pricePerHour);
            return this;
        }

        Setup policy(ResiliencePolicy p) {
            policy = p;
            return this;
        }

        private static String group(int weight, double pricePerHour) {
            return String.format(Locale.ROOT, "weight: %d\n    pricePerHour: %s", weight, pricePerHour);
        }
    }

    /** Starts a controller replica with its own Vert.x and its own API client. */
    Controller startController(String identity) throws Exception {
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Vertx vertx = VertxFactory.create(metrics);
        vertxes.add(vertx);
        Controller c = new Controller(vertx, config, Controller.Parts.builder(cluster.newClient(), kube, metrics)
                .providers(providers.byGroup(), providers.openCircuits())
                .halfOpenCircuits(providers.halfOpenCircuits())
                .decisionSinks(List.of(decisions::add))
                .identity(identity)
                .interruptionQueue(new ProviderFactory(client, executor, 1.0)
                        .withAwsCredentials(io.archscaler.testing.SqsQueueServer.CREDENTIALS)
                        .interruptionQueue(config).orElse(null))
                .clock(time.clock())
                .wakeups(time)
                .build());
        c.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        controllers.add(c);
        return c;
    }

    /**
     * Waits until a controller has a batch open (its wake-up armed one batchIdle from now) and
     * {@code pending} pods waiting, then moves the clock to the batch's close.
     */
    void closeBatch(Controller c, int pending) {
        Instant closes = time.clock().instant().plus(BATCH_IDLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> closes.equals(time.nextWakeup())
                && status(c).getJsonObject("pendingPods").getInteger("total") == pending);
        time.advance(BATCH_IDLE);
    }

    /** The controller's {@code /status}. */
    static JsonObject status(Controller c) throws Exception {
        return new JsonObject(get(c, "/status"));
    }

    /** The controller's {@code /metrics}. */
    static String metrics(Controller c) throws Exception {
        return get(c, "/metrics");
    }

    private static String get(Controller c, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + c.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    void createPods(String workload, int count, String cpu, Map<String, String> nodeSelector) {
        createPods(workload, count, cpu, nodeSelector, "example/" + workload);
    }

    void createPods(String workload, int count, String cpu, Map<String, String> nodeSelector, String image) {
        for (Pod pod : pods(workload, count, cpu, nodeSelector)) {
            pod.getSpec().getContainers().get(0).setImage(image);
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    /** Pods of a workload as its ReplicaSet would create them, not yet scheduled. */
    static List<Pod> pods(String workload, int count, String cpu, Map<String, String> nodeSelector) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                    .addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build());
        }
        return pods;
    }

    /** The arch of the node each pod of the workload is bound to (null while unbound). */
    List<String> archOfPods(String workload) {
        List<String> out = new ArrayList<>();
        for (Pod p : client.pods().inNamespace("default").list().getItems()) {
            if (!p.getMetadata().getName().startsWith(workload + "-")) {
                continue;
            }
            String node = p.getSpec().getNodeName();
            out.add(node == null ? null : client.nodes().withName(node).get().getMetadata().getLabels()
                    .get("kubernetes.io/arch"));
        }
        return out;
    }

    List<Decision> successfulScaleUps(String group) {
        return decisions.stream().filter(d -> d.nodeGroup().equals(group) && d.outcome() == Decision.REQUESTED).toList();
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        for (Controller c : controllers) {
            c.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        for (Vertx v : vertxes) {
            v.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        cluster.close();
    }
}
