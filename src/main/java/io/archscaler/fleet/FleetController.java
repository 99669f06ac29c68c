package io.archscaler.fleet;

import io.archscaler.config.ConfigLoader;
import io.archscaler.config.FleetCluster;
import io.archscaler.config.FleetConfig;
import io.archscaler.controller.Controller;
import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.kafka.DecisionPublisher;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet replica: one Vert.x, one HTTP server, one {@link FleetConsumer}, and one
 * {@link Controller} per cluster it owns, started when the cluster's partition is assigned and
 * stopped when it is revoked. It wires and schedules; which clusters are owned is
 * {@link FleetPartitions}', and when is the consumer group's.
 */
public final class FleetController implements FleetConsumer.Clusters, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetController.class);
    /** Where the replica's HTTP {@code /status} asks for the fleet's status. */
    static final String STATUS_ADDRESS = "archscaler.fleet.status";

    /** One cluster acting here: what its stop must close. */
    private record Running(FleetCluster cluster, KubernetesClient client, ProviderSet providers, Controller controller,
                           ArchscalerMetrics metrics, AtomicInteger inFlight, List<ScaleUpIntent> intents) {
    }

    private final FleetConfig fleet;
    private final String replica;
    private final ClusterConnector connector;
    private final ArchscalerMetrics metrics;
    private final Vertx vertx;
    private final ClustersDir dir;
    private final FleetConsumer consumer;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService starter = Executors.newFixedThreadPool(2, daemon("archscaler-fleet-start"));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("archscaler-fleet-timers"));
    private KafkaProducer<String, String> decisions;
    private HttpEndpoints http;
    private String httpHost = "0.0.0.0";

    /**
     * @param own     the replica's own client (the cluster it runs in; for Cluster API, the management cluster)
     * @param metrics {@link ArchscalerMetrics#fleetReplica()}, bound to {@code vertx}
     */
    public FleetController(FleetConfig fleet, ConfigLoader loader, String replica, KubernetesClient own,
                           ArchscalerMetrics metrics, Vertx vertx) {
        this.fleet = fleet;
        this.replica = replica;
        this.connector = new ClusterConnector(own);
        this.metrics = metrics;
        this.vertx = vertx;
        FleetConsumer.Observer observer = new FleetConsumer.Observer() {
            @Override
            public void rebalance(String kind) {
                metrics.fleetRebalance(kind);
            }

            @Override
            public void fenced(String cluster) {
                metrics.fleetFencedScaleUp();
            }

            @Override
            public void owned(int clusters) {
                metrics.fleetOwnedClusters(clusters);
            }
        };
        this.consumer = new FleetConsumer(FleetSettings.of(fleet, replica), new FleetClients(), this, observer, vertx);
        this.dir = new ClustersDir(fleet, loader, consumer::clustersChanged);
    }

    /** Binds HTTP, creates the scale-ups topic if missing, reads {@code clustersDir}, and joins the group. */
    public Future<Void> start() {
        for (String kind : List.of("assigned", "revoked", "lost")) {
            metrics.fleetRebalance(kind);
        }
        metrics.fleetOwnedClusters(0);
        EventCodecs.register(vertx.eventBus());
        ensureScaleUpsTopic();
        dir.scan();
        fleet.clustersDir().ifPresent(d -> timers.scheduleWithFixedDelay(dir::scan, 5, 5, TimeUnit.SECONDS));
        decisions = KafkaProducer.create(vertx, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafka().bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "archscaler-decisions-" + replica, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000"), new StringSerializer(), new StringSerializer());
        vertx.eventBus().consumer(STATUS_ADDRESS, m -> status().onComplete(ar -> m.reply(ar.succeeded() ? ar.result()
                : new JsonObject().put("replica", replica).put("error", String.valueOf(ar.cause())))));
        http = new HttpEndpoints(httpHost, fleet.shared().http().port(), metrics, () -> true, null)
                .statusFrom(STATUS_ADDRESS);
        return vertx.deployVerticle(http).onSuccess(id -> consumer.start()).mapEmpty();
    }

    /** The address HTTP binds to (default every interface, as {@code run} does). Call before {@link #start}. */
    public FleetController httpHost(String host) {
        this.httpHost = host;
        return this;
    }

    public int httpPort() {
        return http.actualPort();
    }

    @Override
    public Set<String> known() {
        Set<String> names = new TreeSet<>();
        fleet.clusters().forEach(c -> names.add(c.name()));
        names.addAll(dir.clusters().keySet());
        return names;
    }

    private FleetCluster cluster(String name) {
        return fleet.cluster(name).orElseGet(() -> dir.clusters().get(name));
    }

    @Override
    public boolean stale(String name) {
        Running r = running.get(name);
        return r != null && !r.cluster().equals(cluster(name));
    }

    @Override
    public EventAddresses addresses(String cluster) {
        return EventAddresses.forCluster(cluster);
    }

    @Override
    public CompletableFuture<Void> start(String name, List<ScaleUpIntent> intents) {
        return CompletableFuture.runAsync(() -> {
            FleetCluster c = cluster(name);
            if (c == null) {
                throw new IllegalStateException("cluster " + name + " is no longer in the fleet config");
            }
            running.put(name, startCluster(c, intents));
        }, starter);
    }

    /** Connects, discovers the node groups, syncs the informers and reads the target sizes: then it acts. */
    private Running startCluster(FleetCluster c, List<ScaleUpIntent> intents) {
        KubernetesClient client = connector.connect(c.name(), c.access());
        ArchscalerMetrics clusterMetrics = metrics.forCluster(c.name());
        ProviderSet providers = null;
        try {
            providers = new ProviderFactory(connector.clusterApiClient(c.access(), client), timers, 1.0)
                    .withObserver(MetricsObservers.providerCalls(clusterMetrics)).build(c.config());
            AtomicInteger inFlight = new AtomicInteger();
            Map<NodeGroupProvider, NodeGroupProvider> fenced = new IdentityHashMap<>();
            Map<NodeGroup, NodeGroupProvider> byGroup = new LinkedHashMap<>();
            providers.byGroup().forEach((g, p) -> byGroup.put(g, fenced.computeIfAbsent(p,
                    d -> new FencedNodeGroupProvider(d, c.name(), consumer, inFlight))));
            DecisionPublisher publisher = new DecisionPublisher(decisions, fleet.kafka().topics().decisions(), c.name());
            Controller controller = new Controller(vertx, c.config(), Controller.Parts.builder(client,
                            new KubeTranslation(providers.membership()), clusterMetrics)
                    .providers(byGroup, providers.openCircuits()).halfOpenCircuits(providers.halfOpenCircuits())
                    .identity(replica).fleetMember(addresses(c.name()))
                    .decisionSinks(List.of(d -> publisher.publish(d)
                            .onFailure(e -> LOG.warn("decision not written to Kafka: {}", e.getMessage()))))
                    .build());
            controller.start().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            checkIntents(c.name(), intents, byGroup);
            LOG.info("cluster {}: acting ({} node groups)", c.name(), byGroup.size());
            return new Running(c, client, providers, controller, clusterMetrics, inFlight, intents);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(client, providers, clusterMetrics);
            throw new IllegalStateException("interrupted while starting cluster " + c.name(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            closeAll(client, providers, clusterMetrics);
            throw new IllegalStateException("cluster " + c.name() + " did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The last owner's intents, against the cloud's sizes the controller planned from: an intent
     * above the cloud's size is a call that was recorded but never made (the owner died between
     * the two), so it is reported and the cloud's size stands.
     */
    private static void checkIntents(String cluster, List<ScaleUpIntent> intents, Map<NodeGroup, NodeGroupProvider> byGroup) {
        for (ScaleUpIntent i : intents) {
            for (NodeGroupProvider p : new java.util.HashSet<>(byGroup.values())) {
                p.nodeGroups().toCompletableFuture().thenAccept(groups -> groups.stream()
                        .filter(g -> g.name().equals(i.nodeGroup()) && g.targetSize() < i.targetSize())
                        .forEach(g -> LOG.warn("cluster {}: {} recorded a scale-up of {} to {} at generation {}, the cloud"
                                        + " has {}: that call was not made; planning from the cloud's size", cluster,
                                i.replica(), i.nodeGroup(), i.targetSize(), i.generation(), g.targetSize())));
            }
        }
    }

    @Override
    public void stop(String name) {
        Running r = running.remove(name);
        if (r == null) {
            return;
        }
        try {
            r.controller().stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cluster {}: stopping its controller: {}", name, e.toString());
        }
        // calls the fence admitted before the revoke finish before the partition moves on
        long deadline = System.currentTimeMillis() + 30_000;
        while (r.inFlight().get() > 0 && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        closeAll(r.client(), r.providers(), r.metrics());
        LOG.info("cluster {}: stopped acting", name);
    }

    /** {@code /status}: this replica, its partitions and clusters, and each cluster's own status. */
    private Future<JsonObject> status() {
        Map<Integer, Set<String>> partitions = consumer.ownedPartitions();
        JsonArray clusters = new JsonArray();
        List<Future<JsonObject>> each = new ArrayList<>();
        partitions.forEach((p, names) -> names.forEach(name -> {
            JsonObject o = new JsonObject().put("name", name).put("partition", p).put("acting", running.containsKey(name));
            clusters.add(o);
            if (running.containsKey(name)) {
                each.add(vertx.eventBus().<JsonObject>request(addresses(name).status(), null)
                        .map(m -> { o.put("status", m.body()); return o; })
                        .otherwise(e -> o.put("error", String.valueOf(e.getMessage()))));
            }
        }));
        return Future.join(each).otherwiseEmpty().map(v -> new JsonObject().put("replica", replica)
                .put("generation", consumer.generation()).put("partitions", new JsonArray(new ArrayList<>(partitions.keySet())))
                .put("clusters", clusters).put("refusedFiles", new JsonObject(new LinkedHashMap<>(dir.refused()))));
    }

    private void ensureScaleUpsTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(fleet.fleet().scaleUpsTopic(), 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("cannot create {}: {}", fleet.fleet().scaleUpsTopic(), e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warn("cannot create {}: {}", fleet.fleet().scaleUpsTopic(), e.toString());
        }
    }

    @Override
    public void close() {
        consumer.close();
        timers.shutdownNow();
        starter.shutdownNow();
        if (decisions != null) {
            decisions.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    private static void closeAll(KubernetesClient client, ProviderSet providers, ArchscalerMetrics clusterMetrics) {
        if (providers != null) {
            try {
                providers.close();
            } catch (Exception e) {
                LOG.debug("closing providers: {}", e.toString());
            }
        }
        clusterMetrics.close();
        client.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
