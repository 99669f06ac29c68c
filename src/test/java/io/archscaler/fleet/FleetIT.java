package io.archscaler.fleet;

import io.archscaler.events.PodPending;
import io.archscaler.kafka.PodEventEncoder;
import io.archscaler.testing.EmbeddedKafkaBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fleet mode end to end: a real Kafka broker, clusters each behind its own CRUD mock API server with
 * a Cluster API MachineDeployment that {@link FleetMockCluster} turns into Ready Nodes, and replicas
 * in separate JVMs ({@code Main run} with a fleet file). One replica is killed with SIGKILL in the
 * middle of a burst of pending pods; another is paused with SIGSTOP past the session timeout.
 */
class FleetIT {
    static final int CLUSTERS = 20;
    static final int REPLICAS = 3;
    /** Pods of one cpu each; a node holds four, so a cluster's pods need exactly {@code PODS / 4} nodes. */
    static final int PODS = 12;
    static final int POD_PARTITIONS = 6;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final String POD_TOPIC = "archscaler.pod-events";

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private final List<FleetMockCluster> clusters = new ArrayList<>();
    private final List<Process> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(POD_TOPIC, POD_PARTITIONS, (short) 1),
                    new NewTopic("archscaler.metric-events", POD_PARTITIONS, (short) 1),
                    new NewTopic("archscaler.decisions", POD_PARTITIONS, (short) 1),
                    new NewTopic("archscaler.dead-letter", POD_PARTITIONS, (short) 1),
                    new NewTopic("archscaler.fleet-scaleups", POD_PARTITIONS, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private void startClusters(int count) {
        for (int i = 0; i < count; i++) {
            clusters.add(new FleetMockCluster("edge-" + i, dir));
        }
    }

    @AfterEach
    void stop() {
        replicas.forEach(Process::destroyForcibly);
        for (Process p : replicas) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clusters.forEach(FleetMockCluster::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aReplicaKilledMidBurstLosesNoEventAndNoClusterScalesTwice() throws Exception {
        startClusters(CLUSTERS);
        for (int r = 0; r < REPLICAS; r++) {
            startReplica(r);
        }
        Set<String> names = new TreeSet<>(clusters.stream().map(FleetMockCluster::name).toList());
        await("every cluster acting on some replica").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> acting(live()).keySet().equals(names));

        PodEventEncoder encoder = new PodEventEncoder();
        int published = 0;
        Instant killedAt = null;
        Set<String> orphaned = Set.of();
        CompletableFuture<Duration> ownedAgain = null;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PODS; i++) {
                if (i == PODS / 2 && REPLICAS > 1) {
                    producer.flush();
                    // the replica acting for the most clusters dies in the middle of the burst
                    Map<String, Integer> owners = acting(live());
                    int victim = IntStream.range(0, REPLICAS).boxed().max((a, b) -> Long.compare(
                            owners.values().stream().filter(a::equals).count(),
                            owners.values().stream().filter(b::equals).count())).orElseThrow();
                    orphaned = new TreeSet<>(owners.entrySet().stream().filter(e -> e.getValue() == victim)
                            .map(Map.Entry::getKey).toList());
                    replicas.get(victim).destroyForcibly();
                    killedAt = Instant.now();
                    Set<String> waiting = orphaned;
                    Instant from = killedAt;
                    // watched beside the burst: a blocked mock API server must not delay the measurement
                    ownedAgain = CompletableFuture.supplyAsync(() -> {
                        await("the dead replica's clusters owned again").atMost(SESSION_TIMEOUT.plusSeconds(30))
                                .pollInterval(Duration.ofMillis(250)).until(() -> owned(live()).containsAll(waiting));
                        return Duration.between(from, Instant.now());
                    });
                    System.out.println("FleetIT: killed replica " + victim + " acting for " + orphaned);
                }
                for (FleetMockCluster c : clusters) {
                    PodPending event = new PodPending(c.name(), c.createPendingPod("burst-" + i), Instant.now());
                    // half keyed as today (cluster/namespace/name, which the fleet re-keys), half by the cluster
                    String key = i % 2 == 0 ? PodEventEncoder.key(event) : c.name();
                    producer.send(new ProducerRecord<>(POD_TOPIC, key, encoder.encode(event)));
                    published++;
                }
            }
        }
        if (killedAt != null) {
            Set<String> waiting = orphaned;
            Duration moved = ownedAgain.get(60, TimeUnit.SECONDS);
            await("the dead replica's clusters acting again").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).until(() -> acting(live()).keySet().containsAll(waiting));
            Duration acting = Duration.between(killedAt, Instant.now());
            System.out.println("FleetIT: " + waiting.size() + " clusters owned again after " + moved.toMillis()
                    + " ms, acting after " + acting.toMillis() + " ms (session timeout " + SESSION_TIMEOUT.toMillis() + " ms)");
            assertThat(moved).isLessThanOrEqualTo(SESSION_TIMEOUT.plusSeconds(10));
        }
        System.out.println("FleetIT: published " + published + " pod events");

        assertEveryPodCoveredOnceAndNoZombie();
    }

    @Test
    void aReplicaPausedPastTheSessionTimeoutDoesNotScaleWhenItWakes() throws Exception {
        startClusters(6);
        startReplica(0);
        startReplica(1);
        Set<String> names = new TreeSet<>(clusters.stream().map(FleetMockCluster::name).toList());
        await("every cluster acting on some replica").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> acting(live()).keySet().equals(names));
        Map<String, Integer> owners = acting(live());
        int sleeper = owners.values().stream().filter(r -> r == 0).count() > 0 ? 0 : 1;
        PodEventEncoder encoder = new PodEventEncoder();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PODS; i++) {
                if (i == PODS / 2) {
                    producer.flush();
                    // paused in the middle of the burst: pending pods in hand, a batch open, a scale-up about to be made
                    signal(replicas.get(sleeper), "STOP");
                }
                for (FleetMockCluster c : clusters) {
                    PodPending event = new PodPending(c.name(), c.createPendingPod("burst-" + i), Instant.now());
                    producer.send(new ProducerRecord<>(POD_TOPIC, c.name(), encoder.encode(event)));
                }
            }
        }
        Instant pausedAt = Instant.now();
        int awake = 1 - sleeper;
        await("the paused replica's clusters owned by the other").atMost(SESSION_TIMEOUT.plusSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> owned(List.of(awake)).equals(names));
        System.out.println("FleetIT: paused replica " + sleeper + "; its clusters owned by " + awake + " after "
                + Duration.between(pausedAt, Instant.now()).toMillis() + " ms");
        await("every pod bound while the replica sleeps").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> clusters.stream().allMatch(c -> c.unboundPods() == 0));
        signal(replicas.get(sleeper), "CONT");
        await("the woken replica gives its clusters up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(sleeper) != null && acting(List.of(sleeper)).isEmpty());
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(sleeper) + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        System.out.println("FleetIT: woken replica " + sleeper + ": " + metrics.lines()
                .filter(l -> l.startsWith("archscaler_fleet_")).toList());
        assertEveryPodCoveredOnceAndNoZombie();
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor()).isZero();
    }

    /** Every pod bound, each MachineDeployment at exactly what its pods need, no stopped cluster still taking over. */
    private void assertEveryPodCoveredOnceAndNoZombie() throws Exception {
        await("every pod of every cluster bound to a node").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> clusters.stream().allMatch(c -> c.unboundPods() == 0));
        // a late duplicate would show after the pods are bound: give it a batch window and a poll to arrive
        Thread.sleep(4000);
        int needed = PODS / FleetMockCluster.PODS_PER_NODE;
        Map<String, Integer> replicasOf = new TreeMap<>();
        Map<String, Integer> scaleCalls = new TreeMap<>();
        for (FleetMockCluster c : clusters) {
            replicasOf.put(c.name(), c.replicas());
            scaleCalls.put(c.name(), c.scaleRequests());
        }
        System.out.println("FleetIT: MachineDeployment replicas " + replicasOf + "; scale requests " + scaleCalls);
        for (int r : live()) {
            // a cluster stopped on this replica (its partition moved) does not go on taking over on its closed providers
            assertThat(Files.readAllLines(log(r))).as("replica " + r + " log").noneMatch(line ->
                    line.contains("trying again before acting") && line.contains("the executor refused the call"));
        }
        for (FleetMockCluster c : clusters) {
            assertThat(c.replicas()).as("replicas of " + c.name() + " (its pods need " + needed + " nodes)").isEqualTo(needed);
            assertThat(c.pendingPodNames()).as("pods of " + c.name() + " not bound").isEmpty();
        }
    }

    /** The clusters on the pod-event partitions the live replicas own, acting or still starting. */
    private Set<String> owned(List<Integer> live) {
        Set<String> out = new TreeSet<>();
        for (int r : live) {
            JsonObject status = status(r);
            JsonArray cs = status == null ? new JsonArray() : status.getJsonArray("clusters", new JsonArray());
            for (int i = 0; i < cs.size(); i++) {
                out.add(cs.getJsonObject(i).getString("name"));
            }
        }
        return out;
    }

    /** Which live replica acts for each cluster, from each replica's {@code /status}. */
    private Map<String, Integer> acting(List<Integer> live) {
        Map<String, Integer> out = new TreeMap<>();
        for (int r : live) {
            JsonObject status = status(r);
            if (status == null) {
                continue;
            }
            JsonArray cs = status.getJsonArray("clusters", new JsonArray());
            for (int i = 0; i < cs.size(); i++) {
                JsonObject c = cs.getJsonObject(i);
                if (c.getBoolean("acting", false)) {
                    out.put(c.getString("name"), r);
                }
            }
        }
        return out;
    }

    private List<Integer> live() {
        List<Integer> live = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            if (replicas.get(r).isAlive()) {
                live.add(r);
            }
        }
        return live;
    }

    private JsonObject status(int replica) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + ports.get(replica) + "/status")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void startReplica(int index) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("fleet-" + index + ".yaml");
        Files.writeString(config, fleetFile(port));
        Path log = log(index);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Darchscaler.http.host=127.0.0.1",
                "-cp", System.getProperty("java.class.path"), "io.archscaler.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        replicas.add(p);
        ports.add(port);
    }

    /** Kept in target/ for a failed run's post-mortem. */
    private static Path log(int replica) throws IOException {
        return Files.createDirectories(Path.of("target", "fleet-it")).resolve("replica-" + replica + ".log");
    }

    private String fleetFile(int port) {
        StringBuilder yaml = new StringBuilder("""
                kafka: {bootstrapServers: "%s", groupId: fleet-it}
                scaleUp: {batchIdle: 500ms, batchMax: 3s}
                scaleDown: {enabled: false}
                http: {port: %d}
                images: {resolve: false}
                fleet: {sessionTimeout: %ds}
                clusters:
                """.formatted(broker.bootstrapServers(), port, SESSION_TIMEOUT.toSeconds()));
        for (FleetMockCluster c : clusters) {
            yaml.append(c.fleetEntry());
        }
        return yaml.toString();
    }

}
