package io.archscaler.controller;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The drainer against fabric8's CRUD mock API. The mock has no eviction subresource of its own;
 * the sandbox serves it as the API server does (429 while the pod's PodDisruptionBudget allows no
 * disruption, else the budget is drawn down and the pod deleted).
 */
class NodeDrainerMockTest {
    private final SandboxCluster cluster = new SandboxCluster();
    private final KubernetesClient client = cluster.client();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private static final NodeDrainer.Settings SETTINGS = new NodeDrainer.Settings(Duration.ofSeconds(20),
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(100));
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();
    /** The recorder's own thread, as in the controller: it waits there to keep to its pace. */
    private final ExecutorService eventSender = Executors.newSingleThreadExecutor();
    private final PodEventRecorder events = new PodEventRecorder(client, eventSender, metrics, Clock.systemUTC());
    private final NodeDrainer drainer = new NodeDrainer(client, executor, Clock.systemUTC(), SETTINGS, events);
    /** Gives up on evictions after a second. */
    private final NodeDrainer impatient = new NodeDrainer(client, executor, Clock.systemUTC(),
            new NodeDrainer.Settings(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofSeconds(5), Duration.ofMillis(100)), events);

    @AfterEach
    void close() {
        executor.shutdownNow();
        eventSender.shutdownNow();
        metrics.close();
        cluster.close();
    }

    @Test
    void cordonsAndTaintsThenUndoesBoth() throws Exception {
        createNode("n1", false);
        drainer.cordonAndTaint("n1").toCompletableFuture().get(10, TimeUnit.SECONDS);

        Node n = client.nodes().withName("n1").get();
        assertThat(n.getSpec().getUnschedulable()).isTrue();
        assertThat(n.getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo(ScaleDownAnnotations.TO_BE_DELETED_TAINT);
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });

        drainer.uncordonAndUntaint("n1").toCompletableFuture().get(10, TimeUnit.SECONDS);
        n = client.nodes().withName("n1").get();
        assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(n.getSpec().getTaints()).isEmpty();
        assertThat(n.getMetadata().getAnnotations()).doesNotContainKey(NodeDrainer.CORDONED_ANNOTATION);
    }

    @Test
    void undoingKeepsACordonAnOperatorPutThere() throws Exception {
        createNode("n1", true);
        drainer.cordonAndTaint("n1").toCompletableFuture().get(10, TimeUnit.SECONDS);
        drainer.uncordonAndUntaint("n1").toCompletableFuture().get(10, TimeUnit.SECONDS);

        Node n = client.nodes().withName("n1").get();
        assertThat(n.getSpec().getUnschedulable()).isTrue();
        assertThat(n.getSpec().getTaints()).isEmpty();
    }

    @Test
    void evictsEveryPodThroughTheEvictionApiAndWaitsForThemToBeGone() throws Exception {
        createNode("n1", false);
        List<Pod> pods = List.of(createPod("web-1", "n1"), createPod("web-2", "n1"));

        drainer.evictAndWait("n1", pods).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(client.pods().inNamespace("shop").list().getItems()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.v1().events().inNamespace("shop").list().getItems()
                .stream().filter(e -> "ScaleDown".equals(e.getReason())).count() == 2);
    }

    @Test
    void aDrainsEventsGoThroughThePacedRecorderAndAreCounted() throws Exception {
        createNode("n1", false);
        List<Pod> pods = List.of(createPod("web-1", "n1"), createPod("web-2", "n1"));

        drainer.evictAndWait("n1", pods).toCompletableFuture().get(10, TimeUnit.SECONDS);
        drainer.nodeEvent("n1", "Normal", "ScaleDown", "node removed by archscaler: empty");

        // two pod Events and one node Event, each counted as recorded by the recorder the scale-up Events use
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.scrape()
                .contains("archscaler_kube_events_total{outcome=\"recorded\"} 3.0"));
        assertThat(client.v1().events().inNamespace("default").list().getItems()).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("n1");
            assertThat(e.getMessage()).isEqualTo("node removed by archscaler: empty");
        });
        assertThat(client.v1().events().inNamespace("shop").list().getItems())
                .extracting(e -> e.getInvolvedObject().getName()).containsExactlyInAnyOrder("web-1", "web-2");
    }

    @Test
    void aBudgetThatAllowsNoDisruptionHoldsTheEvictionUntilItAllowsOne() throws Exception {
        createNode("n1", false);
        Pod pod = createPod("web-1", "n1");
        client.policy().v1().podDisruptionBudget().inNamespace("shop").resource(budget(0)).create();

        AtomicInteger refused = new AtomicInteger();
        try (KubernetesClient counting = refusalsCounted(refused)) {
            NodeDrainer watched = new NodeDrainer(counting, executor, Clock.systemUTC(), SETTINGS, events);
            List<Throwable> retried = new CopyOnWriteArrayList<>();
            watched.evictionRetry().getEventPublisher().onRetry(e -> retried.add(e.getLastThrowable()));
            CompletableFuture<Void> drain = watched.evictAndWait("n1", List.of(pod)).toCompletableFuture();
            // the first eviction and its retry both refused: the drain went past a retry and still holds
            await().atMost(Duration.ofSeconds(5)).until(() -> refused.get() >= 2);
            assertThat(drain).isNotDone();
            assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNotNull();

            client.policy().v1().podDisruptionBudget().inNamespace("shop").withName("web")
                    .editStatus(b -> {
                        b.getStatus().setDisruptionsAllowed(1);
                        return b;
                    });
            drain.get(10, TimeUnit.SECONDS);

            // every refusal went back through the Retry, and the eviction then succeeded through it
            assertThat(retried).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(t -> assertThat(t).hasMessageContaining("429"));
            assertThat(watched.evictionRetry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        }

        assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("shop").withName("web").get()
                .getStatus().getDisruptionsAllowed()).isZero();
    }

    @Test
    void aBudgetThatNeverAllowsADisruptionFailsTheDrainAfterMaxGracefulTermination() {
        createNode("n1", false);
        Pod pod = createPod("web-1", "n1");
        client.policy().v1().podDisruptionBudget().inNamespace("shop").resource(budget(0)).create();

        assertThatThrownBy(() -> impatient.evictAndWait("n1", List.of(pod)).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NodeDrainer.DrainFailedException.class)
                .hasMessageContaining("shop/web-1 could not be evicted within 1s").hasMessageContaining("429");
        assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNotNull();
    }

    @Test
    void aPodSelectedByTwoBudgetsCannotBeEvicted() {
        createNode("n1", false);
        Pod pod = createPod("web-1", "n1");
        client.policy().v1().podDisruptionBudget().inNamespace("shop").resource(budget(1)).create();
        PodDisruptionBudget second = budget(1);
        second.getMetadata().setName("web-too");
        client.policy().v1().podDisruptionBudget().inNamespace("shop").resource(second).create();

        // the API server answers 500 for this; a drain retries server errors, then gives up
        assertThatThrownBy(() -> impatient.evictAndWait("n1", List.of(pod)).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(NodeDrainer.DrainFailedException.class)
                .hasMessageContaining("more than one PodDisruptionBudget");
    }

    /** A client of the same API server that counts the evictions it gets refused (429), as the drainer sees them. */
    private KubernetesClient refusalsCounted(AtomicInteger refused) {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("refusals", new Interceptor() {
                    @Override
                    public void after(HttpRequest request, HttpResponse<?> response,
                                      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                        if (request.uri().getPath().endsWith("/eviction") && response.code() == 429) {
                            refused.incrementAndGet();
                        }
                    }
                })).build();
    }

    private void createNode(String name, boolean cordoned) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withUnschedulable(cordoned ? true : null).endSpec().build()).create();
    }

    private Pod createPod(String name, String node) {
        return client.pods().inNamespace("shop").resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", "web")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-5d8f7c")
                .withUid("u-web").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("web").withImage("example/web").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }

    private static PodDisruptionBudget budget(int allowed) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "web")
                .endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(allowed).withCurrentHealthy(1).withDesiredHealthy(1)
                .withExpectedPods(1).endStatus().build();
    }
}
