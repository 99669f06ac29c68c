package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SandboxScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole loop wired as in production: the provider factory (AWS pointed at WireMock), a
 * scheduler stand-in binding pods every 100 ms, and the controller recording its decisions.
 */
final class WiredControllerRun {
    private WiredControllerRun() {
    }

    /**
     * Starts everything for {@code config}, hands the cluster's client to {@code whileRunning},
     * and stops everything when it returns.
     */
    static void run(ArchscalerConfig config, SandboxCluster cluster, ArchscalerMetrics metrics,
                    List<Decision> decisions, Consumer<KubernetesClient> whileRunning) throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        Vertx vertx = Vertx.vertx();
        try {
            KubernetesClient client = cluster.client();
            try (ProviderSet providers = new ProviderFactory(client, executor, 1.0)
                    .withAwsCredentials(AwsWireMock.FAKE_CREDENTIALS)
                    .withObserver(MetricsObservers.providerCalls(metrics))
                    .build(config)) {
                KubeTranslation kube = new KubeTranslation(providers.membership());
                SandboxScheduler scheduler = new SandboxScheduler(client,
                        new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        scheduler.schedulePass();
                    } catch (RuntimeException e) {
                        // the next pass tries again
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                Controller controller = new Controller(vertx, config, Controller.Parts.builder(cluster.newClient(), kube, metrics)
                        .providers(providers.byGroup(), providers.openCircuits())
                        .decisionSinks(List.of(decisions::add))
                        .identity("c0")
                        .build());
                controller.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                try {
                    whileRunning.accept(client);
                } finally {
                    controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                }
            }
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * Creates {@code count} pending pods of a ReplicaSet, 500m and 1Gi each, pinned to
     * {@code arch} by nodeSelector when it is not null.
     */
    static void createPods(KubernetesClient client, String workload, int count, String arch) {
        for (int i = 0; i < count; i++) {
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus();
            if (arch != null) {
                pod.editSpec().addToNodeSelector("kubernetes.io/arch", arch).endSpec();
            }
            client.pods().inNamespace("default").resource(pod.build()).create();
        }
    }

    /** One label of the node each pod of the workload is bound to (null while a pod is unbound). */
    static List<String> nodeLabelOfPods(KubernetesClient client, String workload, String label) {
        return client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(workload + "-"))
                .map(Pod::getSpec)
                .map(s -> s.getNodeName() == null ? null
                        : client.nodes().withName(s.getNodeName()).get().getMetadata().getLabels().get(label))
                .toList();
    }
}
