package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.aws.interruption.InterruptionQueue;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.RestoreConfig;
import io.archscaler.config.ScaleDownConfig;
import io.archscaler.hpa.PrometheusMetricSource;
import io.archscaler.hpa.WorkloadSource;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.kafka.DecisionPublisher;
import io.archscaler.kafka.KafkaEventSource;
import io.archscaler.kafka.KafkaSettings;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One running Archscaler: the informers, the scaling loop, the HTTP endpoints, the Kafka source
 * when configured, and leader election, wired from a config. Used by {@code run}, the demo and
 * the tests alike, so they exercise the same path.
 */
public final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /** What a controller is built from besides its config; made with {@link #builder}. */
    public static final class Parts {
        private final KubernetesClient client;
        private final KubeModel kube;
        private final Map<NodeGroup, NodeGroupProvider> providers;
        private final Supplier<Set<String>> openCircuits;
        private final Supplier<Set<String>> halfOpenCircuits;
        private final ArchscalerMetrics metrics;
        private final List<DecisionSink> decisionSinks;
        private final List<PlanSink> planSinks;
        private final List<io.vertx.core.Deployable> extraSources;
        private final String identity;
        private final String httpHost;
        private final int httpPort;
        private final Clock clock;
        private final Wakeups wakeups;
        private final InterruptionQueue interruptionQueue;
        private final EventAddresses fleetAddresses;

        private Parts(Builder b) {
            this.client = b.client;
            this.kube = b.kube;
            this.providers = b.providers;
            this.openCircuits = b.openCircuits;
            this.halfOpenCircuits = b.halfOpenCircuits;
            this.metrics = b.metrics;
            this.decisionSinks = b.decisionSinks;
            this.planSinks = b.planSinks;
            this.extraSources = b.extraSources;
            this.identity = b.identity;
            this.httpHost = b.httpHost;
            this.httpPort = b.httpPort;
            this.clock = b.clock;
            this.wakeups = b.wakeups == null ? Wakeups.timers(b.clock) : b.wakeups;
            this.interruptionQueue = b.interruptionQueue;
            this.fleetAddresses = b.fleetAddresses;
        }

        /** The parts every controller needs; the rest have defaults (see {@link Builder}). */
        public static Builder builder(KubernetesClient client, KubeModel kube, ArchscalerMetrics metrics) {
            return new Builder(client, kube, metrics);
        }

        KubernetesClient client() {
            return client;
        }

        KubeModel kube() {
            return kube;
        }

        Map<NodeGroup, NodeGroupProvider> providers() {
            return providers;
        }

        Supplier<Set<String>> openCircuits() {
            return openCircuits;
        }

        Supplier<Set<String>> halfOpenCircuits() {
            return halfOpenCircuits;
        }

        ArchscalerMetrics metrics() {
            return metrics;
        }

        List<DecisionSink> decisionSinks() {
            return decisionSinks;
        }

        List<PlanSink> planSinks() {
            return planSinks;
        }

        List<io.vertx.core.Deployable> extraSources() {
            return extraSources;
        }

        String identity() {
            return identity;
        }

        String httpHost() {
            return httpHost;
        }

        int httpPort() {
            return httpPort;
        }

        Clock clock() {
            return clock;
        }

        Wakeups wakeups() {
            return wakeups;
        }

        Optional<InterruptionQueue> interruptionQueue() {
            return Optional.ofNullable(interruptionQueue);
        }

        /** Present when this controller is one cluster of a fleet replica, on these addresses. */
        Optional<EventAddresses> fleetAddresses() {
            return Optional.ofNullable(fleetAddresses);
        }

        /**
         * Names each part. Defaults: no node groups, no decision sinks or extra sources, identity
         * {@code archscaler-0}, HTTP on 127.0.0.1 at a free port, the system UTC clock, and Vert.x
         * timers on that clock to wake the scaling loop.
         */
        public static final class Builder {
            private final KubernetesClient client;
            private final KubeModel kube;
            private final ArchscalerMetrics metrics;
            private Map<NodeGroup, NodeGroupProvider> providers = Map.of();
            private Supplier<Set<String>> openCircuits = Set::of;
            private Supplier<Set<String>> halfOpenCircuits = Set::of;
            private List<DecisionSink> decisionSinks = List.of();
            private List<PlanSink> planSinks = List.of();
            private List<io.vertx.core.Deployable> extraSources = List.of();
            private String identity = "archscaler-0";
            private String httpHost = "127.0.0.1";
            private int httpPort;
            private Clock clock = Clock.systemUTC();
            /** Null for Vert.x timers on {@link #clock}. */
            private Wakeups wakeups;
            private InterruptionQueue interruptionQueue;
            private EventAddresses fleetAddresses;

            private Builder(KubernetesClient client, KubeModel kube, ArchscalerMetrics metrics) {
                this.client = Objects.requireNonNull(client, "client");
                this.kube = Objects.requireNonNull(kube, "kube");
                this.metrics = Objects.requireNonNull(metrics, "metrics");
            }

            /** The node groups with their providers, and which of them have their circuit open now. */
            public Builder providers(Map<NodeGroup, NodeGroupProvider> byGroup, Supplier<Set<String>> circuitsOpen) {
                // the order of the groups is the order they are shown and planned in
                this.providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byGroup));
                this.openCircuits = Objects.requireNonNull(circuitsOpen, "openCircuits");
                return this;
            }

            /** Which node groups have their circuit half open now: no move to arm64 trusts them before their probe. */
            public Builder halfOpenCircuits(Supplier<Set<String>> circuitsHalfOpen) {
                this.halfOpenCircuits = Objects.requireNonNull(circuitsHalfOpen, "halfOpenCircuits");
                return this;
            }

            public Builder decisionSinks(List<DecisionSink> sinks) {
                this.decisionSinks = List.copyOf(sinks);
                return this;
            }

            /** Told of every plan as it is made, before its decisions. */
            public Builder planSinks(List<PlanSink> sinks) {
                this.planSinks = List.copyOf(sinks);
                return this;
            }

            /** Event sources deployed besides the informers (and Kafka, when configured). */
            public Builder extraSources(List<io.vertx.core.Deployable> sources) {
                this.extraSources = List.copyOf(sources);
                return this;
            }

            /** This replica's name in leader election. */
            public Builder identity(String name) {
                this.identity = Objects.requireNonNull(name, "identity");
                return this;
            }

            /** Where the HTTP endpoints listen; port 0 for a free one. */
            public Builder http(String host, int port) {
                this.httpHost = Objects.requireNonNull(host, "httpHost");
                this.httpPort = port;
                return this;
            }

            public Builder clock(Clock c) {
                this.clock = Objects.requireNonNull(c, "clock");
                return this;
            }

            /** How time reaches the scaling loop; give it with the {@link #clock} it follows. */
            public Builder wakeups(Wakeups w) {
                this.wakeups = Objects.requireNonNull(w, "wakeups");
                return this;
            }

            /** The queue {@code aws.interruptionQueue} names, read while leading; null for none. */
            public Builder interruptionQueue(InterruptionQueue queue) {
                this.interruptionQueue = queue;
                return this;
            }

            /**
             * Makes the controller one cluster of a fleet replica: it listens on {@code addresses}, serves
             * no HTTP and reads no Kafka (the replica does both for all its clusters), writes no status
             * ConfigMap, and acts from its start to its stop (partition ownership replaces the lease).
             */
            public Builder fleetMember(EventAddresses addresses) {
                this.fleetAddresses = Objects.requireNonNull(addresses, "addresses");
                return this;
            }

            public Parts build() {
                return new Parts(this);
            }
        }
    }

    private final ArchscalerConfig config;
    private final Parts parts;
    private final Vertx vertx;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "archscaler-blocking");
        t.setDaemon(true);
        return t;
    });
    /** The Event recorder's own thread: it waits between Events to keep to its pace. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "archscaler-events");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService drains = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "archscaler-drain");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean ready = new AtomicBoolean();
    private final List<String> deployments = new ArrayList<>();
    private ScalerVerticle scaler;
    private HttpEndpoints http;
    private LeaderElection election;
    private DecisionPublisher decisions;
    private StatusConfigMapWriter statusWriter;
    private OptionalServers optional;

    public Controller(Vertx vertx, ArchscalerConfig config, Parts parts) {
        this.vertx = vertx;
        this.config = config;
        this.parts = parts;
    }

    /** Deploys everything; completes once informers have synced and the HTTP port is bound. */
    public Future<Void> start() {
        boolean fleet = parts.fleetAddresses().isPresent();
        if (!fleet) {
            // a fleet replica registers the codecs once for all its clusters: Vert.x takes one per type
            EventCodecs.register(vertx.eventBus());
        }
        EventAddresses addresses = parts.fleetAddresses().orElse(EventAddresses.SINGLE);
        ScalerSettings settings = new ScalerSettings(config.cluster(), config.scaleUp(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), addresses);
        NodeGroups groups = new NodeGroups(parts.providers(), parts.openCircuits(), parts.halfOpenCircuits());
        PodEventRecorder recorder = new PodEventRecorder(parts.client(), events, parts.metrics(), parts.clock());
        List<DecisionSink> sinks = new ArrayList<>(parts.decisionSinks());
        List<io.vertx.core.Deployable> sources = new ArrayList<>(parts.extraSources());
        config.kafka().filter(k -> !fleet).ifPresent(k -> {
            KafkaSettings kafka = new KafkaSettings(k.bootstrapServers(), k.groupId(), k.topics().podEvents(),
                    k.topics().metricEvents(), k.topics().decisions(), k.topics().deadLetter(), (int) k.maxEventBytes());
            decisions = DecisionPublisher.create(vertx, kafka, config.cluster());
            DecisionPublisher publisher = decisions;
            sinks.add(d -> publisher.publish(d).onFailure(e -> LOG.warn("decision not written to Kafka: {}", e.getMessage())));
            sources.add(new KafkaEventSource(kafka, MetricsObservers.kafka(parts.metrics())));
        });
        // HPAs and the workloads they scale, for planning ahead of them
        WorkloadSource workloads = new WorkloadSource(parts.client(), 60_000, addresses);
        sources.add(workloads);
        config.prometheus().ifPresent(p -> sources.add(
                new PrometheusMetricSource(p, config.cluster(), workloads::hpas, parts.clock())));
        ScaleDownConfig down = config.scaleDown();
        NodeDrainer drainer = new NodeDrainer(parts.client(), drains, parts.clock(),
                NodeDrainer.Settings.of(down.maxGracefulTermination()), recorder);
        scaler = new ScalerVerticle(ScalingParts.of(settings, parts.kube(), groups, parts.metrics(), parts.clock()),
                recorder, new Sinks(sinks, parts.planSinks()), new ScaleDownLoop.Setup(down, drainer, RestoreConfig.rules(config)), parts.wakeups());
        optional = OptionalServers.wire(config, parts, scaler, recorder, blocking);
        sources.addAll(optional.deployables());
        http = fleet ? null : new HttpEndpoints(parts.httpHost(), parts.httpPort(), parts.metrics(), ready::get,
                optional.webhookOnHttpPort().orElse(null));
        parts.metrics().leader(false);
        statusWriter = fleet ? null : new StatusConfigMapWriter(parts.client(), config.leaderElection().namespace(),
                StatusConfigMapWriter.DEFAULT_INTERVAL, parts.clock());
        return deploy(scaler)
                .compose(v -> deploy(new InformerSource(parts.client(), config.cluster(), parts.clock(), addresses)))
                .compose(v -> {
                    Future<Void> f = Future.succeededFuture();
                    for (io.vertx.core.Deployable source : sources) {
                        f = f.compose(x -> deploy(source));
                    }
                    return f;
                })
                .compose(v -> fleet ? Future.<Void>succeededFuture() : deploy(http))
                .compose(v -> fleet ? Future.<Void>succeededFuture() : deploy(statusWriter))
                .onSuccess(v -> {
                    ready.set(true);
                    startLeaderElection();
                });
    }

    private void startLeaderElection() {
        var le = config.leaderElection();
        if (parts.fleetAddresses().isPresent()) {
            LOG.info("cluster {}: acting while this replica owns its partition", config.cluster());
            lead(true);
            return;
        }
        if (!le.enabled()) {
            LOG.info("leader election disabled: acting as the only replica");
            lead(true);
            return;
        }
        election = new LeaderElection(parts.client(), le, parts.identity(), this::lead);
        election.start();
    }

    /** What only the leader does starts or stops: the scaling loop, the status ConfigMap, the interruption queue. */
    private void lead(boolean leading) {
        scaler.setLeader(leading);
        if (statusWriter != null) {
            statusWriter.setLeader(leading);
        }
        optional.setLeader(leading);
    }

    private Future<Void> deploy(io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.actualPort();
    }

    /** The gRPC expander's port, once started; empty when the config has no {@code expander:} block. */
    public OptionalInt expanderPort() {
        return optional.expanderPort();
    }

    public boolean isReady() {
        return ready.get();
    }

    /** Stops acting, releases the lease, undeploys every verticle. */
    public Future<Void> stop() {
        ready.set(false);
        if (election != null) {
            election.close();
        }
        Future<Void> f = Future.succeededFuture();
        List<String> ids = new ArrayList<>(deployments);
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            f = f.compose(v -> vertx.undeploy(id).otherwise(e -> null));
        }
        deployments.clear();
        if (decisions != null) {
            f = f.compose(v -> decisions.close().otherwise(e -> null));
        }
        return f.onComplete(ar -> {
            blocking.shutdown();
            events.shutdownNow();
            drains.shutdownNow();
        });
    }

    @Override
    public void close() {
        stop().toCompletionStage().toCompletableFuture().join();
    }
}
