package io.archscaler.observability;

import io.archscaler.VertxFactory;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.resilience.MeteredNodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SandboxScheduler;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Archscaler in sandbox mode, as the demo runs it: the in-process Kubernetes API, the
 * simulated node groups (arm64 and amd64), the stand-in scheduler and the real controller with
 * its HTTP endpoints, leader election and status ConfigMap. Cloud calls are metered through
 * {@link MeteredNodeGroupProvider} the way the provider factory is to wire it.
 */
final class SandboxArchscaler implements AutoCloseable {
    static final String NAMESPACE = "archscaler";
    static final String CONFIG = """
            cluster: e2e
            nodeGroups:
              - name: arm
                provider: simulated
                instanceType: m7g.large
                maxSize: 6
                simulated: {registrationDelay: 300ms}
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: 6
                simulated: {registrationDelay: 300ms}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 1m, backoffInitial: 5m}
            leaderElection: {enabled: true, namespace: archscaler, leaseName: archscaler, leaseDuration: 4s,
                             renewDeadline: 3s, retryPeriod: 500ms}
            images: {resolve: false}
            """;

    final SandboxCluster cluster = new SandboxCluster();
    final KubernetesClient client = cluster.client();
    final ArchscalerMetrics metrics = new ArchscalerMetrics("e2e");
    final SimulatedProvider cloud;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final Vertx vertx = VertxFactory.create(metrics);
    private final Controller controller;
    private final HttpClient http = HttpClient.newHttpClient();

    SandboxArchscaler() throws Exception {
        ArchscalerConfig config = ConfigLoader.standard().parse(CONFIG, "e2e.yaml");
        KubeTranslation kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
        ProviderSet providers = new ProviderFactory(client, executor, 1.0).build(config);
        cloud = providers.simulated().orElseThrow();
        Map<NodeGroupProvider, NodeGroupProvider> metered = new IdentityHashMap<>();
        Map<NodeGroup, NodeGroupProvider> byGroup = new LinkedHashMap<>();
        providers.byGroup().forEach((g, p) -> byGroup.put(g, metered.computeIfAbsent(p,
                x -> new MeteredNodeGroupProvider(x, MetricsObservers.providerCalls(metrics)))));
        SandboxScheduler scheduler = new SandboxScheduler(client,
                new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
        executor.scheduleWithFixedDelay(() -> {
            try {
                scheduler.schedulePass();
            } catch (RuntimeException e) {
                // the next pass retries
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        controller = new Controller(vertx, config, Controller.Parts.builder(client, kube, metrics)
                .providers(byGroup, providers.openCircuits())
                .identity("archscaler-e2e-0")
                .build());
        controller.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    int httpPort() {
        return controller.httpPort();
    }

    /** GET of one of the controller's endpoints, as Prometheus or kubectl port-forward would see it. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** {@code count} pods of a workload, pending as a ReplicaSet creates them; {@code nodeSelector} may be empty. */
    void createPods(String workload, int count, String cpu, Map<String, String> nodeSelector) {
        for (int i = 0; i < count; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                    .addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build();
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    /** Whether every pod of the workload is bound to a node. */
    boolean allBound(String workload) {
        List<Pod> pods = client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(workload + "-")).toList();
        return !pods.isEmpty() && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        metrics.close();
        cluster.close();
    }
}
