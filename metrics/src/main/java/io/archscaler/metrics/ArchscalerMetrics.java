package io.archscaler.metrics;

import io.archscaler.scaler.interruption.InterruptionKind;
import io.archscaler.scaler.interruption.InterruptionOutcome;
import io.archscaler.scaler.restore.RestoreReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.archscaler.metrics.MetricNames.*;

/** Records Archscaler's decisions and their latency on a Prometheus registry and renders /metrics. */
public final class ArchscalerMetrics implements AutoCloseable {
    /** How a move toward arm64 ends: see {@link #restore}. */
    private static final List<String> RESTORE_OUTCOMES = List.of("moved", "undone", "failed");

    private final PrometheusMeterRegistry registry;
    /** Where Archscaler's own meters go: the registry, or a view of it that adds the {@code cluster} label. */
    private final MeterRegistry meters;
    /** The cluster label's value; null for none. */
    private final String cluster;
    /** Whether this instance made the registry (and binds the JVM's meters and closes it) or is a cluster's view of it. */
    private final boolean root;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final GaugeFamily pendingPods;
    private final GaugeFamily unschedulablePods;
    private final GaugeFamily minSize;
    private final GaugeFamily maxSize;
    private final GaugeFamily targetSize;
    private final GaugeFamily readyNodes;
    private final GaugeFamily inFlight;
    private final GaugeFamily backoff;
    private final GaugeFamily circuitOpen;
    private final GaugeFamily lastFailedScaleUp;
    private final GaugeFamily nodes;
    private final GaugeFamily costPerHour;
    private final GaugeFamily allAmd64Cost;
    private final GaugeFamily savings;
    private final GaugeFamily leader;
    private final GaugeFamily unneeded;
    private final GaugeFamily predictedReplicas;
    private final GaugeFamily headroomNodes;
    private final GaugeFamily predictionError;
    private final GaugeFamily restoreSaving;
    private final GaugeFamily offeringsUnavailable;
    private final GaugeFamily spotNodeRatio;
    private final GaugeFamily fleetOwned;
    private final Timer plannerDuration;
    private final DistributionSummary batchSize;
    private final Timer pendingToScaleUp;
    private final AtomicBoolean vertxBound;

    public ArchscalerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public ArchscalerMetrics(PrometheusMeterRegistry registry) {
        this(registry, null, new AtomicBoolean(), true);
    }

    /** Metrics of one cluster's controller: every {@code archscaler_*} meter carries {@code cluster="<name>"}. */
    public ArchscalerMetrics(String cluster) {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), cluster, new AtomicBoolean(), true);
    }

    /**
     * A fleet replica's own metrics: the registry its clusters' views ({@link #forCluster}) share,
     * with the JVM's and the fleet's meters only (no cluster-less {@code archscaler_*} series, which
     * would clash with the labelled ones).
     */
    public static ArchscalerMetrics fleetReplica() {
        return new ArchscalerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null, new AtomicBoolean(), true,
                false);
    }

    private ArchscalerMetrics(PrometheusMeterRegistry registry, String cluster, AtomicBoolean vertxBound, boolean root) {
        this(registry, cluster, vertxBound, root, true);
    }

    private ArchscalerMetrics(PrometheusMeterRegistry registry, String cluster, AtomicBoolean vertxBound, boolean root,
                              boolean clusterMeters) {
        this.registry = registry;
        this.cluster = cluster;
        this.vertxBound = vertxBound;
        this.root = root;
        if (cluster == null) {
            this.meters = registry;
        } else {
            CompositeMeterRegistry view = new CompositeMeterRegistry(registry.config().clock());
            view.config().commonTags(TAG_CLUSTER, cluster);
            view.add(registry);
            this.meters = view;
        }
        if (root) {
            new JvmMemoryMetrics().bindTo(registry);
            gcMetrics.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        pendingPods = gauge(PENDING_PODS, "Pending pods the scheduler could not place, by arch constraint");
        unschedulablePods = gauge(UNSCHEDULABLE_PODS, "Pending pods no node group can help");
        minSize = gauge(NODE_GROUP_MIN_SIZE, "Node group minimum size");
        maxSize = gauge(NODE_GROUP_MAX_SIZE, "Node group maximum size");
        targetSize = gauge(NODE_GROUP_TARGET_SIZE, "Node group target (desired) size");
        readyNodes = gauge(NODE_GROUP_READY_NODES, "Registered ready nodes of the node group");
        inFlight = gauge(IN_FLIGHT_NODES, "Nodes asked for that have not registered yet");
        backoff = gauge(NODE_GROUP_BACKOFF, "1 while the node group is in backoff after a failed scale-up");
        circuitOpen = gauge(NODE_GROUP_CIRCUIT_OPEN, "1 while the node group's cloud circuit breaker is open");
        // a counter's first increment is invisible to increase() (the series appears already at 1), so
        // alerts on failed scale-ups read this timestamp instead
        lastFailedScaleUp = gauge(LAST_FAILED_SCALE_UP, "Unix time of the node group's last failed scale-up, by reason");
        nodes = gauge(NODES, "Registered nodes by architecture");
        costPerHour = gauge(COST_PER_HOUR, "Hourly price of the registered nodes, by architecture");
        allAmd64Cost = gauge(ALL_AMD64_COST_PER_HOUR, "Hourly price the same capacity would cost on amd64 only");
        savings = gauge(SAVINGS_PER_HOUR, "Hourly savings against an all-amd64 cluster of the same size");
        leader = gauge(LEADER, "1 when this replica is the leader and acts");
        unneeded = gauge(UNNEEDED_NODES, "Nodes currently unneeded (candidates for scale-down)");
        predictedReplicas = gauge(HPA_PREDICTED_REPLICAS, "Replicas the HPA is predicted to ask for");
        headroomNodes = gauge(HEADROOM_NODES, "Nodes held as headroom ahead of HPA scale-ups");
        predictionError = gauge(HPA_PREDICTION_ERROR,
                "Predicted minus actual replicas, the last time the HPA acted");
        restoreSaving = gauge(RESTORE_SAVING_PER_HOUR,
                "Hourly saving of the moves to arm64 completed since start (amd64 nodes removed less arm64 nodes added)");
        offeringsUnavailable = gauge(OFFERINGS_UNAVAILABLE,
                "Offerings (instance type x zone x capacity type) left out after a capacity error, by arch and capacity type");
        spotNodeRatio = gauge(SPOT_NODE_RATIO, "Share of the ready nodes of managed groups that are spot, by arch");
        fleetOwned = new GaugeFamily(registry, FLEET_OWNED_CLUSTERS,
                "Clusters this fleet replica acts for (their pod-event partition is its own)");
        if (!clusterMeters) {
            plannerDuration = null;
            batchSize = null;
            pendingToScaleUp = null;
            return;
        }
        // every series of the moves exists from the start, so the first move shows in increase() and the panels
        restoreSaving.set(Tags.empty(), 0);
        for (RestoreReason reason : RestoreReason.values()) {
            for (String outcome : RESTORE_OUTCOMES) {
                restores(reason.label(), outcome);
            }
        }
        for (InterruptionKind kind : List.of(InterruptionKind.SPOT_INTERRUPTION, InterruptionKind.SCHEDULED_CHANGE,
                InterruptionKind.REBALANCE_RECOMMENDATION)) {
            interruptions(kind.label(), InterruptionOutcome.REPLACED.label());
        }
        interruptions(InterruptionKind.REBALANCE_RECOMMENDATION.label(), InterruptionOutcome.RECORDED.label());
        interruptions(InterruptionKind.STATE_CHANGE.label(), InterruptionOutcome.CLEANED_UP.label());
        plannerDuration = Timer.builder(PLANNER_DURATION).description("Time to compute one plan")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(meters);
        batchSize = DistributionSummary.builder(BATCH_SIZE).description("Pending pods per planning batch")
                .publishPercentileHistogram().register(meters);
        // pods can wait through a batch window, a failed scale-up and its backoff: buckets reach 30 minutes
        pendingToScaleUp = Timer.builder(PENDING_TO_SCALE_UP)
                .description("Time from a pod becoming pending to the scale-up request that covers it")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(30)).register(meters);
    }

    /**
     * One cluster of a fleet replica: the same registry (and scrape), its meters labelled with
     * {@code cluster}. {@link #close} of the view removes that cluster's series, not the registry.
     */
    public ArchscalerMetrics forCluster(String name) {
        return new ArchscalerMetrics(registry, java.util.Objects.requireNonNull(name, "cluster"), vertxBound, false);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Clusters this fleet replica acts for now. */
    public void fleetOwnedClusters(int clusters) {
        fleetOwned.set(Tags.empty(), clusters);
    }

    /** The consumer group moved partitions to ({@code assigned}) or from ({@code revoked}, {@code lost}) this replica. */
    public void fleetRebalance(String kind) {
        fleetRebalances(kind).increment();
    }

    private Counter fleetRebalances(String kind) {
        return Counter.builder(FLEET_REBALANCES).description("Partition moves seen by this fleet replica, by kind")
                .tag(TAG_KIND, kind).register(registry);
    }

    /** A scale-up refused because this replica no longer owned the cluster (the cloud was not called). */
    public void fleetFencedScaleUp() {
        Counter.builder(FLEET_FENCED_SCALE_UPS)
                .description("Scale-ups refused because ownership of the cluster had moved (not sent to the cloud)")
                .register(registry).increment();
    }

    /**
     * The registry Vert.x's own meters go on. Asked for once: binding a second Vert.x (or the same
     * one twice) to it would register Vert.x's gauges twice.
     *
     * @throws IllegalStateException when Vert.x was already bound to these metrics
     */
    public MeterRegistry vertxRegistry() {
        if (!vertxBound.compareAndSet(false, true)) {
            throw new IllegalStateException("Vert.x metrics are already bound to this registry; bind them once");
        }
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void pendingPods(Map<String, Integer> byConstraint) {
        byConstraint.forEach((c, n) -> pendingPods.set(Tags.of(TAG_CONSTRAINT, c), n));
    }

    public void unschedulablePods(int n) {
        unschedulablePods.set(Tags.empty(), n);
    }

    /** Sizes and state of one on-demand node group. */
    public void nodeGroup(String group, String arch, NodeGroupSizes sizes, boolean backedOff, boolean circuitIsOpen) {
        nodeGroup(group, arch, "on-demand", sizes, backedOff, circuitIsOpen);
    }

    /** Sizes and state of one node group; {@code capacityType} is {@code spot} or {@code on-demand}. */
    public void nodeGroup(String group, String arch, String capacityType, NodeGroupSizes sizes, boolean backedOff,
                          boolean circuitIsOpen) {
        Tags t = groupTags(group, arch, capacityType);
        minSize.set(t, sizes.minSize());
        maxSize.set(t, sizes.maxSize());
        targetSize.set(t, sizes.targetSize());
        readyNodes.set(t, sizes.readyNodes());
        inFlight.set(t, sizes.inFlightNodes());
        backoff.set(t, backedOff ? 1 : 0);
        circuitOpen.set(t, circuitIsOpen ? 1 : 0);
    }

    /** Offerings left out now after capacity errors, for one arch and capacity type. */
    public void offeringsUnavailable(String arch, String capacityType, int offerings) {
        offeringsUnavailable.set(Tags.of(TAG_ARCH, arch, TAG_CAPACITY_TYPE, capacityType), offerings);
    }

    /** The share (0..1) of one arch's ready nodes that are spot. */
    public void spotNodeRatio(String arch, double ratio) {
        spotNodeRatio.set(Tags.of(TAG_ARCH, arch), ratio);
    }

    /** A scale-up the cloud accepted; {@code capacityType} is the group's, {@code spot} or {@code on-demand}. */
    public void scaleUp(String group, String arch, String capacityType, String reason, int nodesAdded) {
        Tags t = groupTags(group, arch, capacityType);
        Counter.builder(SCALE_UPS).description("Scale-up requests made").tags(t)
                .tag(TAG_REASON, reason).register(meters).increment();
        Counter.builder(SCALED_UP_NODES).description("Nodes asked for by scale-ups").tags(t)
                .register(meters).increment(nodesAdded);
    }

    /** A scale-up that failed, at once or later; {@code capacityType} is the group's. */
    public void failedScaleUp(String group, String arch, String capacityType, String reason) {
        Tags t = groupTags(group, arch, capacityType).and(TAG_REASON, reason);
        Counter.builder(FAILED_SCALE_UPS).description("Scale-ups that failed or timed out")
                .tags(t).register(meters).increment();
        lastFailedScaleUp.set(t, registry.config().clock().wallTime() / 1000.0);
    }

    /** Pods that could run on arm64 but were planned on an amd64 group (of {@code capacityType}), and why. */
    public void fallbacks(String group, String arch, String capacityType, String reason, int pods) {
        Counter.builder(FALLBACKS).description("Flexible pods planned on amd64 because arm64 could not take them")
                .tags(groupTags(group, arch, capacityType)).tag(TAG_REASON, reason).register(meters).increment(pods);
    }

    public void scaleDown(String group, String arch, String reason) {
        Counter.builder(SCALE_DOWNS).description("Nodes removed").tags(groupTags(group, arch))
                .tag(TAG_REASON, reason).register(meters).increment();
    }

    public void unneededNodes(String group, String arch, int n) {
        unneeded.set(groupTags(group, arch), n);
    }

    public void unremovableNode(String reason) {
        Counter.builder(UNREMOVABLE_NODES).description("Scale-down candidates kept, by reason")
                .tag(TAG_REASON, reason).register(meters).increment();
    }

    /**
     * A move toward arm64 ended: {@code reason} restore|replace, {@code outcome} moved (the amd64
     * node is gone), undone (its arm64 capacity failed: nothing evicted) or failed (its drain or
     * removal failed).
     */
    public void restore(String reason, String outcome) {
        restores(reason, outcome).increment();
    }

    private Counter restores(String reason, String outcome) {
        return Counter.builder(RESTORES).description("Moves of amd64 nodes' pods to arm64, by reason and outcome")
                .tag(TAG_REASON, reason).tag(TAG_OUTCOME, outcome).register(meters);
    }

    /** The summed hourly saving of the moves to arm64 completed since start. */
    public void restoreSavingPerHour(double dollars) {
        restoreSaving.set(Tags.empty(), dollars);
    }

    /**
     * One instance named by a message of the interruption queue was dealt with: {@code kind} as
     * {@link InterruptionKind#label}, {@code outcome} as {@link InterruptionOutcome#label}.
     */
    public void interruption(String kind, String outcome) {
        interruptions(kind, outcome).increment();
    }

    private Counter interruptions(String kind, String outcome) {
        return Counter.builder(INTERRUPTIONS).description("Instances named by interruption messages, by kind and outcome")
                .tag(TAG_KIND, kind).tag(TAG_OUTCOME, outcome).register(meters);
    }

    /** A node replaced for an interruption was drained, {@code sinceNotice} after AWS sent the notice. */
    public void interruptionHandled(String kind, Duration sinceNotice) {
        Timer.builder(INTERRUPTION_HANDLING_DURATION)
                .description("Time from an interruption notice being sent to its node being drained")
                .tag(TAG_KIND, kind).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters).record(sinceNotice);
    }

    public void drainDuration(String group, String arch, Duration d) {
        Timer.builder(DRAIN_DURATION).description("Time to drain a node before removal")
                .tags(groupTags(group, arch)).register(meters).record(d);
    }

    public void planned(Duration took, int batch) {
        plannerDuration.record(took);
        batchSize.record(batch);
    }

    public void pendingToScaleUp(Duration d) {
        pendingToScaleUp.record(d);
    }

    /**
     * One call to a cloud or cluster scaling API.
     *
     * @param nodeGroup the group the call was about, {@code ""} for none (Prometheus then shows no label)
     * @param outcome   {@code success}, or the failure's reason ({@code InsufficientCapacity}, {@code Throttling}, …)
     */
    public void cloudApiCall(String provider, String operation, String nodeGroup, String outcome, Duration d) {
        Counter.builder(CLOUD_API_CALLS).description("Calls to cloud and cluster scaling APIs")
                .tag(TAG_PROVIDER, provider).tag(TAG_OPERATION, operation).tag(TAG_NODE_GROUP, nodeGroup)
                .tag(TAG_OUTCOME, outcome).register(meters).increment();
        Timer.builder(CLOUD_API_CALL_DURATION).description("Duration of calls to scaling APIs")
                .tag(TAG_PROVIDER, provider).tag(TAG_OPERATION, operation).tag(TAG_NODE_GROUP, nodeGroup)
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2))
                .register(meters).record(d);
    }

    /** An image lookup and how long its caller waited ({@code hit} when served from the cache). */
    public void imageLookup(String outcome, Duration elapsed) {
        Counter.builder(IMAGE_LOOKUPS).description("Image platform lookups by outcome").tag(TAG_OUTCOME, outcome)
                .register(meters).increment();
        Timer.builder(IMAGE_LOOKUP_DURATION).description("Time to learn an image's platforms")
                .tag(TAG_OUTCOME, outcome).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1))
                .register(meters).record(elapsed);
    }

    public void misplacedPod(String reason) {
        Counter.builder(MISPLACED_PODS).description("Pods that crashed with exec format error on the wrong arch")
                .tag(TAG_REASON, reason).register(meters).increment();
    }

    /** A placement webhook review and how long the API server waited for it. */
    public void webhookReview(String outcome, Duration elapsed) {
        Counter.builder(WEBHOOK_REVIEWS).description("Placement webhook reviews by outcome").tag(TAG_OUTCOME, outcome)
                .register(meters).increment();
        Timer.builder(WEBHOOK_REVIEW_DURATION).description("Time to answer a placement webhook review")
                .tag(TAG_OUTCOME, outcome).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters).record(elapsed);
    }

    /** A pod the placement webhook checked against its workload's max-spot-ratio: {@code allowed}, {@code kept_off} or {@code invalid}. */
    public void webhookSpotRatio(String outcome) {
        Counter.builder(WEBHOOK_SPOT_RATIO).description("Pods checked against their workload's max-spot-ratio, by outcome")
                .tag(TAG_OUTCOME, outcome).register(meters).increment();
    }

    /**
     * A call of Cluster Autoscaler's gRPC expander: its outcome ({@code ranked}, {@code fallback},
     * {@code invalid}, {@code error}), how many options came in and went out, and how long it took.
     */
    public void expanderCall(String outcome, int optionsIn, int optionsOut, Duration elapsed) {
        Counter.builder(EXPANDER_CALLS).description("gRPC expander calls by outcome").tag(TAG_OUTCOME, outcome)
                .register(meters).increment();
        Counter.builder(EXPANDER_OPTIONS_IN).description("Scale-up options Cluster Autoscaler offered the expander")
                .register(meters).increment(optionsIn);
        Counter.builder(EXPANDER_OPTIONS_OUT).description("Scale-up options the expander answered with")
                .register(meters).increment(optionsOut);
        Timer.builder(EXPANDER_CALL_DURATION).description("Time to answer a gRPC expander call")
                .tag(TAG_OUTCOME, outcome).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(5))
                .register(meters).record(elapsed);
    }

    /** An option the expander left out, by reason ({@code image_arch}, {@code pod_constraints}, {@code lower_rank}). */
    public void expanderDrop(String reason) {
        Counter.builder(EXPANDER_DROPPED_OPTIONS).description("Scale-up options the expander left out, by reason")
                .tag(TAG_REASON, reason).register(meters).increment();
    }

    /** Cluster cost as {@link CostModel} priced it, with the registered nodes by architecture. */
    public void cost(Map<String, Integer> nodesByArch, CostModel.Cost cost) {
        nodesByArch.forEach((arch, n) -> nodes.set(Tags.of(TAG_ARCH, arch), n));
        for (Map.Entry<Arch, Double> e : cost.perHourByArch().entrySet()) {
            costPerHour.set(Tags.of(TAG_ARCH, e.getKey().label()), e.getValue());
        }
        allAmd64Cost.set(Tags.empty(), cost.allAmd64PerHour());
        savings.set(Tags.empty(), Math.max(0, cost.allAmd64PerHour() - cost.perHour()));
    }

    /**
     * A Kubernetes Event on a pod was {@code recorded}, {@code dropped} (too many were waiting to be
     * sent) or {@code failed} (the API server refused it).
     */
    public void kubeEvent(String outcome) {
        kubeEvents(outcome, 1);
    }

    public void kubeEvents(String outcome, int events) {
        Counter.builder(KUBE_EVENTS).description("Kubernetes Events on pods: recorded, dropped or failed")
                .tag(TAG_OUTCOME, outcome).register(meters).increment(events);
    }

    public void kafkaConsumed(String topic) {
        Counter.builder(KAFKA_EVENTS_CONSUMED).description("Events read from Kafka").tag(TAG_TOPIC, topic)
                .register(meters).increment();
    }

    public void kafkaDeadLettered(String topic, String reason) {
        Counter.builder(KAFKA_EVENTS_DEAD_LETTERED).description("Events sent to the dead-letter topic")
                .tag(TAG_TOPIC, topic).tag(TAG_REASON, reason).register(meters).increment();
    }

    /** A Kafka event was applied; {@code latency} runs from its hand-off on the event bus to the reply. */
    public void kafkaHandled(String topic, Duration latency) {
        Timer.builder(KAFKA_EVENT_HANDLING_DURATION).description("Time to apply an event read from Kafka")
                .tag(TAG_TOPIC, topic).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters).record(latency);
    }

    public void eventReceived(String source, String type) {
        Counter.builder(EVENTS_RECEIVED).description("Events applied to the cluster snapshot")
                .tag("source", source).tag("type", type).register(meters).increment();
    }

    /**
     * An event that changed nothing: {@code duplicate} (the same news again: a redelivery, a resync,
     * a relist) or {@code out_of_order} (older than what is known: PENDING after SCHEDULED or DELETED).
     */
    public void eventIgnored(String reason) {
        Counter.builder(EVENTS_IGNORED).description("Events that changed nothing: duplicates and out-of-order events")
                .tag(TAG_REASON, reason).register(meters).increment();
    }

    public void leader(boolean isLeader) {
        leader.set(Tags.empty(), isLeader ? 1 : 0);
    }

    public void hpaPrediction(String namespace, String hpa, int replicas) {
        predictedReplicas.set(Tags.of("namespace", namespace, "hpa", hpa), replicas);
    }

    public void headroomNodes(String arch, int n) {
        headroomNodes.set(Tags.of(TAG_ARCH, arch), n);
    }

    public void hpaPredictionError(String namespace, String hpa, int predictedMinusActual) {
        predictionError.set(Tags.of("namespace", namespace, "hpa", hpa), predictedMinusActual);
    }

    private GaugeFamily gauge(String name, String description) {
        return new GaugeFamily(meters, name, description);
    }

    private static Tags groupTags(String group, String arch) {
        return Tags.of(TAG_NODE_GROUP, group, TAG_ARCH, arch);
    }

    private static Tags groupTags(String group, String arch, String capacityType) {
        return groupTags(group, arch).and(TAG_CAPACITY_TYPE, capacityType);
    }

    @Override
    public void close() {
        if (root) {
            gcMetrics.close();
            registry.close();
            return;
        }
        // a cluster that moved to another replica must not leave its last values here for dashboards to add up
        for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
            if (cluster.equals(m.getId().getTag(TAG_CLUSTER))) {
                registry.remove(m);
            }
        }
    }
}
