package io.archscaler.reliability;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.MetricNames;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.testing.SandboxScheduler;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * One API server, simulated node groups (arm64 first, amd64 second), optionally the sandbox's
 * stand-in scheduler, and controller replicas started on demand: what every fault test drives.
 * The node groups' providers can be wrapped (fault injection, slow answers, resilience) before
 * the first replica starts.
 */
final class FaultHarness implements AutoCloseable {
    private static final String CONFIG = """
            cluster: test
            nodeGroups:
              - name: arm
                provider: simulated
                instanceType: m7g.large
                maxSize: %3$d
                simulated: {registrationDelay: %2$s}
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: %3$d
                simulated: {registrationDelay: %2$s}
            scaleUp: %5$s
            leaderElection: {enabled: %1$s, namespace: archscaler, leaseName: test, leaseDuration: 4s, renewDeadline: 3s, retryPeriod: 500ms}
            %4$s
            """;

    /** How a harness is set up. {@code extraYaml}: more top-level config (a kafka block, say). */
    record Setup(boolean leaderElection, String registrationDelay, int maxSize, String scaleUp, String extraYaml) {
        static Setup single(String registrationDelay, int maxSize) {
            return new Setup(false, registrationDelay, maxSize,
                    "{batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 2m, backoffInitial: 5m}", "");
        }

        Setup withLeaderElection() {
            return new Setup(true, registrationDelay, maxSize, scaleUp, extraYaml);
        }

        /** The whole {@code scaleUp} block, in flow style. */
        Setup withScaleUp(String block) {
            return new Setup(leaderElection, registrationDelay, maxSize, block, extraYaml);
        }

        Setup withExtra(String yaml) {
            return new Setup(leaderElection, registrationDelay, maxSize, scaleUp, extraYaml + "\n" + yaml);
        }

        String yaml() {
            String extra = extraYaml.contains("images:") ? extraYaml : extraYaml + "\nimages: {resolve: false}";
            return CONFIG.formatted(leaderElection, registrationDelay, maxSize, extra, scaleUp);
        }
    }

    final ApiServer api;
    final KubernetesClient client;
    final ArchscalerConfig config;
    final KubeTranslation kube;
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(3);
    final SimulatedProvider cloud;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private Map<NodeGroup, NodeGroupProvider> byGroup;
    private Supplier<Set<String>> openCircuits;

    FaultHarness(ApiServer api, Setup setup) {
        this(api, setup.yaml());
    }

    /** From a whole config; {@link #cloud} is null when it has no simulated group. */
    FaultHarness(ApiServer api, String yaml) {
        this.api = api;
        this.client = api.client();
        this.config = ConfigLoader.standard().parse(yaml, "reliability.yaml");
        this.kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
        ProviderSet providers = new ProviderFactory(client, executor, 1.0).build(config);
        this.cloud = providers.simulated().orElse(null);
        this.byGroup = providers.byGroup();
        this.openCircuits = providers.openCircuits();
    }

    /** Binds pending pods to nodes every 100 ms, as the kube-scheduler would. */
    FaultHarness withScheduler() {
        SandboxScheduler scheduler = new SandboxScheduler(client,
                new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
        executor.scheduleWithFixedDelay(() -> {
            try {
                scheduler.schedulePass();
            } catch (RuntimeException e) {
                // the API server may be faulted on purpose: next pass
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Controllers started from now on call every group through {@code build(cloud)}: the raw
     * simulated provider with test decorators (fault injection, slowness, resilience) around it.
     */
    FaultHarness wrapProviders(Function<SimulatedProvider, NodeGroupProvider> build, Supplier<Set<String>> circuits) {
        NodeGroupProvider built = build.apply(cloud);
        Map<NodeGroup, NodeGroupProvider> out = new LinkedHashMap<>();
        byGroup.keySet().forEach(g -> out.put(g, built));
        byGroup = out;
        openCircuits = circuits;
        return this;
    }

    /** Starts a controller replica with its own Vert.x, API client and metrics. */
    Replica start(String identity) throws Exception {
        Vertx vertx = Vertx.vertx();
        KubernetesClient own = api.newClient();
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Controller c = new Controller(vertx, config, Controller.Parts.builder(own, kube, metrics)
                .providers(byGroup, openCircuits)
                .decisionSinks(List.of(decisions::add))
                .identity(identity)
                .build());
        Replica r = new Replica(identity, vertx, own, c, metrics);
        replicas.add(r);
        c.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return r;
    }

    /** Successful scale-up decisions of a group. */
    List<Decision> scaleUps(String group) {
        return decisions.stream().filter(d -> d.nodeGroup().equals(group) && Decision.REQUESTED.equals(d.outcome())
                && Decision.SCALE_UP.equals(d.action())).toList();
    }

    List<Decision> scaleUps() {
        return decisions.stream().filter(d -> Decision.REQUESTED.equals(d.outcome())
                && Decision.SCALE_UP.equals(d.action())).toList();
    }

    int targetSize(String group) {
        return cloud.nodeGroups().toCompletableFuture().join().stream().filter(g -> g.name().equals(group))
                .findFirst().orElseThrow().targetSize();
    }

    void createPods(String workload, int count, String cpu, String memory, Map<String, String> nodeSelector) {
        for (Pod pod : pods(workload, count, cpu, memory, nodeSelector)) {
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    /** Pods of a workload as its ReplicaSet would create them, not yet scheduled; names sort in creation order. */
    static List<Pod> pods(String workload, int count, String cpu, String memory, Map<String, String> nodeSelector) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(pod(workload, String.format("%s-%03d", workload, i), cpu, memory, nodeSelector));
        }
        return pods;
    }

    static Pod pod(String workload, String name, String cpu, String memory, Map<String, String> nodeSelector) {
        return new PodBuilder()
                .withNewMetadata().withNamespace("default").withName(name).withUid("uid-" + name)
                .withCreationTimestamp(Instant.now().toString())
                .addToLabels("app", workload)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    /** Pods of the API server that are bound to a node. */
    long boundPods() {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null).count();
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        for (Replica r : replicas) {
            r.stop();
        }
        api.close();
    }

    /** One running controller. */
    static final class Replica {
        final String identity;
        final Vertx vertx;
        final KubernetesClient client;
        final Controller controller;
        final ArchscalerMetrics metrics;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private boolean stopped;
        private boolean crashed;

        Replica(String identity, Vertx vertx, KubernetesClient client, Controller controller, ArchscalerMetrics metrics) {
            this.identity = identity;
            this.vertx = vertx;
            this.client = client;
            this.controller = controller;
            this.metrics = metrics;
        }

        /** The replica's {@code /status} document. */
        JsonObject status() throws IOException, InterruptedException {
            return new JsonObject(get("/status").body());
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).GET().build());
        }

        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + controller.httpPort() + path);
        }

        /** Plans this replica has made (the planner's timer count); a follower makes none. */
        long plans() {
            Timer planner = metrics.registry().find(MetricNames.PLANNER_DURATION).timer();
            return planner == null ? 0 : planner.count();
        }

        /** Pending pods as the replica itself sees them ({@code /status}). */
        long pendingPods() throws IOException, InterruptedException {
            return status().getJsonObject("pendingPods").getLong("total");
        }

        /**
         * Waits for a plan made after {@code plansBefore}, then for one {@code /status} answer. The
         * status is served on the scaling loop's context, after the turn in which that plan went to
         * the actuator, so by then each of its scale-ups has reached the cloud: whatever it would have
         * asked for twice shows in the cloud's calls.
         */
        boolean plannedAfter(long plansBefore, Duration atMost) {
            return Waiting.until(atMost, () -> plans() > plansBefore) && Waiting.until(atMost, () -> status() != null);
        }

        /** The sum of a counter's series whose tags include {@code tags} (name without {@code _total}). */
        double counter(String name, String... tags) {
            return metrics.registry().find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
        }

        /**
         * Dies without a word, as a killed process does: its API client and Vert.x go away, the
         * lease is not released and lapses after its duration.
         */
        void crash() throws Exception {
            crashed = true;
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        /** Stops acting, releases the lease, undeploys; closes its Vert.x and client. */
        void stop() throws Exception {
            if (stopped) {
                return;
            }
            stopped = true;
            if (crashed) {
                // only its leader elector is left running: cancel it
                try {
                    controller.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // its Vert.x is gone already
                }
                metrics.close();
                return;
            }
            try {
                controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                client.close();
                metrics.close();
            }
        }
    }
}
