package io.archscaler.bench;

import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.PodEventBatch;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.kafka.PodEventEncoder;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.testing.EmbeddedKafkaBroker;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The whole path in one process: a real Kafka broker (KRaft) on loopback, pod events produced to
 * the pod-event topic, the real controller consuming them, batching, planning and scaling the
 * simulated provider. Measures how fast events are applied and how long each waits for the plan
 * or scale-up decision that covers it, split into the time spent waiting for its batch to close
 * and the rest: a round as fast as the producer goes, then one at a steady pace (or only one at
 * {@code --rate}). Warm-up rounds of pods like the measured ones come first; each round's pods are
 * deleted (with DELETED events) and their nodes taken back before the next.
 */
public final class PipelineBench {
    public static final int PARTITIONS = 8;
    public static final Duration BATCH_IDLE = Duration.ofMillis(100);
    public static final Duration BATCH_MAX = Duration.ofSeconds(1);
    static final String CLUSTER = "bench";
    private static final String NAMESPACE = "bench";
    private static final String TOPIC = "bench.pod-events";
    private static final String GROUP = "archscaler-bench";
    private static final String CONFIG = """
            cluster: bench
            nodeGroups:
              - name: arm-general
                provider: simulated
                instanceType: m7g.xlarge
                maxSize: 100000
                simulated: {registrationDelay: 1h}
              - name: x86-general
                provider: simulated
                instanceType: m6i.xlarge
                maxSize: 100000
                simulated: {registrationDelay: 1h}
            scaleUp: {batchIdle: %dms, batchMax: %dms, maxNodesTotal: 200000, maxNodeProvisionTime: 2h}
            leaderElection: {enabled: false}
            images: {resolve: false}
            webhook: {enabled: false}
            kafka:
              bootstrapServers: "%s"
              groupId: %s
              topics: {podEvents: %s, metricEvents: bench.metric-events, decisions: bench.decisions, deadLetter: bench.dead-letter}
            """;

    /**
     * The JIT compiler still works through the Kafka client, Jackson, fabric8 and Vert.x code after
     * one round of 20,000 events (a third of the measured round's cpu went to it); three rounds
     * leave the measured one to the code itself.
     */
    static final int WARM_UP_ROUNDS = 3;
    /** The pace of the latency round when no {@code --rate} is given: the throughput the target asks for. */
    public static final double PACED_RATE = 20_000;
    /** A cold planner takes ten times as long as a warm one; 25 batches a round warm it. */
    static final int WARM_UP_BURSTS = 25;
    private final int events;
    private final int warmupEvents;
    private final double rate;
    private final Consumer<String> progress;
    private final PodEventEncoder encoder = new PodEventEncoder();

    /**
     * @param rate events per second to produce at, or 0 to produce as fast as the producer goes
     */
    public PipelineBench(int events, double rate, Consumer<String> progress) {
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must not be negative (got " + rate + ")");
        }
        this.events = events;
        // warm-up rounds go at the measured pace (the JIT compiles what that pace runs), for 5 s at most each
        this.warmupEvents = rate > 0 ? (int) Math.min(events, Math.max(1_000, rate * 5)) : events;
        this.rate = rate;
        this.progress = progress;
    }

    public PipelineResult run() {
        progress.accept("pipeline: starting a Kafka broker (KRaft) on 127.0.0.1");
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "bench-cloud");
            t.setDaemon(true);
            return t;
        });
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             BenchApiServer cluster = new BenchApiServer();
             ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            broker.createTopic(TOPIC, PARTITIONS);
            broker.createTopics("bench.metric-events", "bench.decisions", "bench.dead-letter");
            ArchscalerConfig config = ConfigLoader.standard().parse(CONFIG.formatted(BATCH_IDLE.toMillis(),
                    BATCH_MAX.toMillis(), broker.bootstrapServers(), GROUP, TOPIC), "pipeline-bench.yaml");
            KubeTranslation kube = new KubeTranslation(NodeGroupMembership.of(config.nodeGroups()));
            ProviderSet providers = new ProviderFactory(cluster.client(), executor, 1.0).build(config);
            SimulatedProvider cloud = providers.simulated().orElseThrow();
            AtomicReference<PipelineRound> current = new AtomicReference<>();
            Covering covering = new Covering(current);
            Controller controller = new Controller(vertx, config, Controller.Parts.builder(cluster.client(), kube, metrics)
                    .providers(providers.byGroup(), providers.openCircuits())
                    .identity("archscaler-bench-0")
                    .planSinks(List.of(covering))
                    .decisionSinks(List.of(covering))
                    .build());
            controller.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            observeApplied(vertx, current);
            try (KafkaProducer<String, byte[]> producer = producer(broker)) {
                double pace = rate > 0 ? rate : PACED_RATE;
                // encoded before the warm-up, so that the JIT has long finished with the harness's own code
                Prepared burst = rate > 0 ? null : prepare(pods("burst", events));
                Prepared paced = prepare(pods("pod", events));
                MeasuredRound warm = null;
                for (int r = 1; r <= WARM_UP_ROUNDS; r++) {
                    progress.accept(String.format(Locale.ROOT, "pipeline: warm-up round %d of %d, %,d events", r,
                            WARM_UP_ROUNDS, warmupEvents));
                    // pods like the measured ones, so the JIT compiles the paths the measured round takes
                    Prepared warmPods = prepare(pods("warmup" + r, warmupEvents));
                    // the first rounds come in bursts that each close a batch, so the planning path runs often
                    // enough to be compiled; the last goes at the measured pace
                    int bursts = r < WARM_UP_ROUNDS ? Math.max(1, Math.min(WARM_UP_BURSTS, warmupEvents / 400)) : 1;
                    warm = round(current, producer, warmPods, pace, bursts);
                    // deletions too, or the first DELETED events would send the compiled code back to be redone
                    deleteAll(current, producer, warmPods.keys());
                    cancelNodes(cloud);
                }
                awaitNoNodesInFlight(vertx);
                PipelineResult burstResult = null;
                if (burst != null) {
                    progress.accept(String.format(Locale.ROOT, "pipeline: %,d pod events to %s (%d partitions), as fast"
                            + " as they go", events, TOPIC, PARTITIONS));
                    MeasuredRound m = round(current, producer, burst, 0, 1);
                    burstResult = m.result(warmupEvents * WARM_UP_ROUNDS, 0, groupsScaled(cloud));
                    progress.accept(String.format(Locale.ROOT, "pipeline: %,.0f events/s as fast as they go",
                            m.eventsPerSecond()));
                    deleteAll(current, producer, burst.keys());
                    cancelNodes(cloud);
                    awaitNoNodesInFlight(vertx);
                }
                progress.accept(String.format(Locale.ROOT, "pipeline: %,d pod events to %s (%d partitions), %,.0f a"
                        + " second", events, TOPIC, PARTITIONS, pace));
                MeasuredRound m = round(current, producer, paced, pace, 1);
                PipelineResult pacedResult = m.result(warmupEvents * WARM_UP_ROUNDS, pace, groupsScaled(cloud));
                progress.accept(String.format(Locale.ROOT, "pipeline: warm-up %,.0f events/s; at %,.0f a second: %,.0f"
                        + " events/s", warm.eventsPerSecond(), pace, m.eventsPerSecond()));
                controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                return burstResult == null ? pacedResult : burstResult.withPaced(pacedResult);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pipeline benchmark interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("pipeline benchmark failed: " + e.getMessage(), e);
        } finally {
            executor.shutdownNow();
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a failure of the run itself, if any, is the one to report
                progress.accept("pipeline: Vert.x did not close within 30s: " + e);
            }
        }
    }

    /** When the scaler has applied each batch of events: it replies to the request that carried them. */
    private static void observeApplied(Vertx vertx, AtomicReference<PipelineRound> current) {
        Map<String, List<String>> awaitingReply = new ConcurrentHashMap<>();
        vertx.eventBus().addInboundInterceptor(delivery -> {
            if (EventAddresses.POD_BATCHES.equals(delivery.message().address()) && delivery.message().replyAddress() != null
                    && delivery.body() instanceof PodEventBatch batch) {
                awaitingReply.put(delivery.message().replyAddress(), batch.events().stream().map(PodEvent::podKey).toList());
            }
            delivery.next();
        });
        vertx.eventBus().addOutboundInterceptor(delivery -> {
            List<String> keys = awaitingReply.remove(delivery.message().address());
            PipelineRound r = current.get();
            if (keys != null && r != null) {
                r.applied(keys, System.nanoTime());
            }
            delivery.next();
        });
    }

    /** A round's PENDING events, encoded ahead: the pods themselves are not kept, the controller's memory is what counts. */
    private record Prepared(List<String> keys, List<String> recordKeys, List<byte[]> values) {
        int size() {
            return keys.size();
        }
    }

    private Prepared prepare(List<Pod> pods) {
        int n = pods.size();
        Prepared prepared = new Prepared(new ArrayList<>(n), new ArrayList<>(n), new ArrayList<>(n));
        for (Pod p : pods) {
            PodEvent e = new PodPending(CLUSTER, p, Instant.now());
            prepared.keys().add(BenchPods.key(p));
            prepared.values().add(encoder.encode(e));
            prepared.recordKeys().add(PodEventEncoder.key(e));
        }
        return prepared;
    }

    /**
     * Waits, for at most {@code timeout}, until the JIT compiler has been idle for a quarter second:
     * what the harness just ran (building and encoding the pods) queues compilations that would
     * otherwise land in the measured round.
     */
    private static void awaitJitQuiet(Duration timeout) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /** Produces a round's events (paced, or in {@code bursts} with a pause that closes a batch after each) and measures it. */
    private MeasuredRound round(AtomicReference<PipelineRound> current, KafkaProducer<String, byte[]> producer,
                           Prepared prepared, double perSecond, int bursts) throws Exception {
        int n = prepared.size();
        List<byte[]> values = prepared.values();
        List<String> recordKeys = prepared.recordKeys();
        awaitJitQuiet(Duration.ofSeconds(10));
        PipelineRound round = new PipelineRound(prepared.keys());
        current.set(round);
        ThreadCpu cpu = new ThreadCpu(ProcessParts::of, ProcessParts.ALL);
        cpu.start();
        long start = System.nanoTime();
        int burst = Math.max(1, n / bursts);
        for (int i = 0; i < n; i++) {
            if (bursts > 1 && i > 0 && i % burst == 0) {
                producer.flush();
                Thread.sleep(BATCH_IDLE.toMillis() * 2);
            }
            if (perSecond > 0) {
                // paced: each event at its own moment, so latency is measured below saturation
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            round.producedNanos[i] = System.nanoTime();
            producer.send(new ProducerRecord<>(TOPIC, recordKeys.get(i), values.get(i)), (meta, error) -> {
                if (error == null) {
                    round.acked();
                }
            });
        }
        producer.flush();
        long produced = System.nanoTime();
        if (!round.awaitAcked(30_000)) {
            throw new IllegalStateException("the broker did not acknowledge every event within 30s");
        }
        boolean applied = round.awaitApplied(60_000 + n * 5L);
        boolean complete = applied && round.awaitCovered(60_000 + n * 5L);
        Map<String, Long> cpuByPart = cpu.stop();
        long lastApplied = 0;
        for (long a : round.appliedNanos) {
            lastApplied = Math.max(lastApplied, a);
        }
        current.set(null);
        return new MeasuredRound(round, n, start, produced, lastApplied, complete, cpuByPart);
    }

    /**
     * Deletes the pods of these {@code namespace/name} keys with DELETED events and waits until the
     * controller has applied them all.
     */
    private void deleteAll(AtomicReference<PipelineRound> current, KafkaProducer<String, byte[]> producer,
                           List<String> keys) throws Exception {
        PipelineRound round = new PipelineRound(keys);
        current.set(round);
        for (String key : keys) {
            String[] nsName = key.split("/", 2);
            Pod pod = new PodBuilder().withNewMetadata().withNamespace(nsName[0]).withName(nsName[1]).endMetadata().build();
            PodEvent e = new PodDeleted(CLUSTER, pod, Instant.now());
            producer.send(new ProducerRecord<>(TOPIC, PodEventEncoder.key(e), encoder.encode(e)),
                    (meta, error) -> {
                        if (error == null) {
                            round.acked();
                        }
                    });
        }
        producer.flush();
        if (!round.awaitAcked(30_000)) {
            throw new IllegalStateException("the broker did not acknowledge the deletions within 30s");
        }
        if (!round.awaitApplied(60_000)) {
            throw new IllegalStateException("the controller did not apply the deletions within 60s");
        }
        current.set(null);
    }

    private static int groupsScaled(SimulatedProvider cloud) throws Exception {
        int scaled = 0;
        for (NodeGroup g : cloud.nodeGroups().toCompletableFuture().get()) {
            scaled += g.targetSize() > 0 ? 1 : 0;
        }
        return scaled;
    }

    /** Takes back the nodes the warm-up asked for: they never register, and the measured pods must not find room on them. */
    private static void cancelNodes(SimulatedProvider cloud) throws Exception {
        for (NodeGroup g : cloud.nodeGroups().toCompletableFuture().get()) {
            if (g.targetSize() > 0) {
                cloud.decreaseTargetSize(g.name(), g.targetSize()).toCompletableFuture().get();
            }
        }
    }

    /** Waits until the controller has read the groups' sizes back from the cloud (every 10 s) and counts no node in flight. */
    private static void awaitNoNodesInFlight(Vertx vertx) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonObject status = vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
            boolean none = status.getJsonArray("nodeGroups").stream()
                    .allMatch(g -> ((JsonObject) g).getInteger("inFlight") == 0);
            if (none) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the controller still counted the warm-up's nodes in flight after 60s");
    }

    private static List<Pod> pods(String prefix, int n) {
        Instant now = Instant.now();
        List<Pod> pods = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pods.add(BenchPods.pod(NAMESPACE, prefix, i, now));
        }
        return pods;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker broker) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
