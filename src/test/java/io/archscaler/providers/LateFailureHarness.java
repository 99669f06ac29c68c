package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ScaleUpConfig;
import io.archscaler.controller.ClockWakeups;
import io.archscaler.controller.Controller;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The whole controller against a cloud stand-in: a config, the providers the factory wires for
 * it (AWS clients pointed at a WireMock when there is one), the controller on its own Vert.x, and
 * flexible pods to plan. Tests drive the stand-in and read decisions and {@code /status}. The
 * controller reads a clock the test moves ({@link #time}); the stand-ins keep real time.
 */
final class LateFailureHarness implements AutoCloseable {
    /** Three pods of 1500m: each needs its own m7g.large or m6i.large (1930m allocatable), so three nodes. */
    static final int PODS = 3;
    /** The configs' {@code batchIdle}. */
    static final Duration BATCH_IDLE = Duration.ofMillis(200);
    /** How often the controller asks a group with nodes on their way for its instances (the default). */
    static final Duration FAILURE_CHECK = ScaleUpConfig.DEFAULT_FAILURE_CHECK_INTERVAL;

    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final Vertx vertx = Vertx.vertx();
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final ArchscalerMetrics metrics = new ArchscalerMetrics();
    /** The controller's clock, started at the wall clock's now so the stand-ins' timestamps compare with it. */
    final ClockWakeups time = new ClockWakeups(new MutableClock(Instant.now()));
    private final KubernetesClient client;
    private ProviderSet providers;
    private Controller controller;
    private KubernetesClient controllerClient;

    /** @param client the cluster the controller watches and Cluster API objects live in */
    LateFailureHarness(KubernetesClient client) {
        this.client = client;
    }

    /** Starts the controller on {@code yaml}; {@code aws} may be null when no AWS provider is used. */
    void start(String yaml, AwsWireMock aws, KubernetesClient controllerClient) throws Exception {
        start(yaml + (aws == null ? "" : aws.awsBlock()), aws != null, controllerClient);
    }

    /**
     * Starts the controller on {@code yaml} with AWS calls going to {@code aws} and an
     * {@code aws.interruptionQueue} on {@code sqs} (ElasticMQ takes the same fake credentials).
     */
    void startWithInterruptions(String yaml, AwsWireMock aws, URI sqs, URI queue, KubernetesClient controllerClient)
            throws Exception {
        String block = aws.awsBlock().replace("\"}\n", "\", sqs: \"" + sqs + "\"}\n")
                + "  interruptionQueue: \"" + queue + "\"\n";
        start(yaml + block, true, controllerClient);
    }

    private void start(String yaml, boolean aws, KubernetesClient controllerClient) throws Exception {
        this.controllerClient = controllerClient;
        ArchscalerConfig config = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty)
                .parse(yaml, "config.yaml");
        ProviderFactory factory = new ProviderFactory(client, executor, 1.0)
                .withObserver(MetricsObservers.providerCalls(metrics));
        ProviderFactory withCredentials = aws ? factory.withAwsCredentials(AwsWireMock.FAKE_CREDENTIALS) : factory;
        providers = withCredentials.build(config);
        KubeTranslation kube = new KubeTranslation(providers.membership());
        controller = new Controller(vertx, config, Controller.Parts.builder(controllerClient, kube, metrics)
                .providers(providers.byGroup(), providers.openCircuits())
                .interruptionQueue(withCredentials.interruptionQueue(config).orElse(null))
                .decisionSinks(List.of(decisions::add))
                .identity("c0")
                .clock(time.clock())
                .wakeups(time)
                .build());
        controller.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Pending pods that may run on arm64 or amd64, marked unschedulable as kube-scheduler marks
     * them when no node fits (there is none). Created before the controller starts, they are one
     * batch however slowly the API server answers.
     */
    void createFlexiblePods(String workload) {
        for (int i = 0; i < PODS; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity("1500m")).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                    .withStatus("False").withReason("Unschedulable")
                    .withMessage("0/0 nodes are available: no nodes available to schedule pods.").endCondition()
                    .endStatus().build();
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    /**
     * Waits until the controller has the flexible pods in a batch (its wake-up armed one
     * {@link #BATCH_IDLE} from now), then moves the clock to the batch's close.
     */
    void closeBatch() {
        Instant closes = time.clock().instant().plus(BATCH_IDLE);
        await().atMost(Duration.ofSeconds(30)).until(() -> closes.equals(time.nextWakeup()));
        time.advance(BATCH_IDLE);
    }

    /** The group as {@code /status} shows it. */
    JsonObject status(String group) throws Exception {
        return statusDocument().getJsonArray("nodeGroups").stream().map(JsonObject.class::cast)
                .filter(g -> g.getString("name").equals(group)).findFirst().orElseThrow();
    }

    /** The whole {@code /status} document. */
    JsonObject statusDocument() throws Exception {
        return vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    }

    /** The first decision for the group with this outcome, waiting up to {@code within}. */
    Decision awaitDecision(String group, Decision.Outcome outcome, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> first(group, outcome).isPresent());
        return first(group, outcome).orElseThrow();
    }

    private Optional<Decision> first(String group, Decision.Outcome outcome) {
        return decisions.stream().filter(d -> d.nodeGroup().equals(group) && d.outcome() == outcome).findFirst();
    }

    /**
     * Prints and returns how long after {@code visible} (on the controller's clock) the amd64 group
     * was asked for capacity.
     */
    Duration fallbackDelay(String what, Instant visible, Decision amd64) {
        Duration took = Duration.between(visible, amd64.time());
        System.out.printf("%s: the failure became visible at %s; amd64 was asked for %d node(s) %d ms later%n",
                what, visible, amd64.to() - amd64.from(), took.toMillis());
        return took;
    }

    @Override
    public void close() throws Exception {
        try {
            if (controller != null) {
                controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
            if (providers != null) {
                providers.close();
            }
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            metrics.close();
            // its watches closed before the mock server stops, which otherwise waits on them and gives up
            if (controllerClient != null) {
                controllerClient.close();
            }
        }
    }
}
