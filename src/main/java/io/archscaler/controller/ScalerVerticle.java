package io.archscaler.controller;

import io.archscaler.events.Decision;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.ProviderException;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.events.NodeChanged;
import io.archscaler.events.ObjectChanged;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.archscaler.hpa.HpaHeadroom;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.ArchConstraint;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.archscaler.scaler.state.BatchWindow;
import io.archscaler.scaler.state.GroupBackoff;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scaling loop: keeps the cluster snapshot current from events, batches pending pods, runs
 * the planner off the event loop and hands the plan to the actuator. Every decision of substance
 * is the planner's or the backoff and provision trackers'; this verticle only wires and schedules.
 */
public final class ScalerVerticle extends AbstractVerticle {
    /** Address on which every {@link Decision} is published, for the demo and the decision log. */
    public static final String DECISIONS_ADDRESS = "archscaler.decision";
    /** Address on which every {@link ScalePlan} is published as it is made, for the pipeline benchmark. */
    public static final String PLANS_ADDRESS = "archscaler.plan";
    /** Header of a published plan: {@link System#nanoTime()} when its batch closed. */
    public static final String PLAN_STARTED_HEADER = "batchClosedNanos";
    private static final Logger LOG = LoggerFactory.getLogger(ScalerVerticle.class);
    private static final int RECENT_DECISIONS = 20;

    private final ScalerSettings settings;
    private final KubeModel kube;
    private final NodeGroups groups;
    private final ArchscalerMetrics metrics;
    private final PodEventRecorder recorder;
    private final List<DecisionSink> sinks;
    private final Clock clock;
    private final Planner planner = new Planner();
    private final ClusterState state;
    private final BatchWindow batch;
    private final GroupBackoff backoff;
    private final ProvisioningWatch provisioning;
    private final Deque<Decision> recent = new ArrayDeque<>();
    private final Set<String> latencyReported = new HashSet<>();
    private final Map<String, String> invalidPods = new TreeMap<>();
    private PodImageLookups images;
    private MisplacedPodGuard misplaced;
    private final HpaHeadroom hpa;
    private Actuator actuator;
    private ScaleDownLoop scaleDown;
    private ScalePlan lastPlan = ScalePlan.EMPTY;
    private boolean leader;
    /** Counts leadership changes, so a takeover that finishes after leadership was lost does nothing. */
    private long leadership;
    private boolean planning;
    private boolean replan;
    private Instant lastPlanAt = Instant.EPOCH;
    private Instant lastRefreshAt = Instant.EPOCH;
    private Instant lastGaugesAt = Instant.EPOCH;
    private long tickTimer;
    private long batchTimer = -1;

    public ScalerVerticle(ScalerSettings settings, KubeModel kube, NodeGroups groups, ArchscalerMetrics metrics,
                          PodEventRecorder recorder, List<DecisionSink> sinks, Clock clock) {
        this.settings = settings;
        this.kube = kube;
        this.groups = groups;
        this.metrics = metrics;
        this.recorder = recorder;
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.state = new ClusterState(kube);
        this.batch = new BatchWindow(settings.batchIdle(), settings.batchMax());
        this.backoff = new GroupBackoff(clock, settings.backoffInitial(), settings.backoffMax());
        this.provisioning = new ProvisioningWatch(settings, groups, backoff, metrics, clock);
        this.hpa = new HpaHeadroom(settings.cluster(), settings.headroomTtl(), kube::pendingPod, clock);
    }

    /**
     * Looks up pending pods' images before they are planned, and watches bound pods for exec
     * format errors. Call before deploying.
     */
    ScalerVerticle withImages(PodImageLookups lookups, MisplacedPodGuard guard) {
        this.images = lookups;
        this.misplaced = guard;
        return this;
    }

    @Override
    public void start(Promise<Void> started) {
        actuator = new Actuator(groups, context);
        provisioning.attach(context, new ProvisioningWatch.Loop() {
            @Override
            public void record(Decision decision) {
                ScalerVerticle.this.record(decision);
            }

            @Override
            public void replan() {
                requestPlan();
            }

            @Override
            public Future<Void> refresh(NodeGroupProvider provider) {
                return ScalerVerticle.this.refresh(provider, groups.changeMarks());
            }
        });
        vertx.eventBus().<PodEvent>consumer(EventAddresses.PODS, m -> {
            onPod(m.body());
            armBatchTimer();
            m.reply(null);
        });
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, m -> {
            m.body().events().forEach(this::onPod);
            armBatchTimer();
            m.reply(null);
        });
        vertx.eventBus().<NodeChanged>consumer(EventAddresses.NODES, m -> {
            state.apply(m.body());
            metrics.eventReceived("informer", m.body().deleted() ? "NodeDeleted" : "NodeChanged");
            m.reply(null);
        });
        vertx.eventBus().<ObjectChanged>consumer(EventAddresses.OBJECTS, m -> {
            state.apply(m.body());
            hpa.onObject(m.body().object(), m.body().deleted()).ifPresent(check -> {
                String[] nsName = check.hpa().split("/", 2);
                metrics.hpaPredictionError(nsName[0], nsName[nsName.length - 1], check.error());
            });
            m.reply(null);
        });
        vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, m -> {
            metrics.eventReceived("metric", "MetricSample");
            hpa.onSample(m.body()).ifPresent(this::onForecast);
            m.reply(null);
        });
        vertx.eventBus().consumer(HttpEndpoints.STATUS_ADDRESS, m -> m.reply(status()));
        if (scaleDown != null) {
            // nodes on their way, by the same definition the planner uses, hold scale-down back too
            scaleDown.attach(vertx, state, groups, this::record,
                    () -> podsWaitForCapacity() || !provisioning.inFlight(state.readyNodesByGroup()).isEmpty());
        }
        tickTimer = vertx.setPeriodic(250, id -> tick());
        refreshGroups().onComplete(ar -> started.complete());
    }

    @Override
    public void stop() {
        vertx.cancelTimer(tickTimer);
        if (batchTimer != -1) {
            vertx.cancelTimer(batchTimer);
        }
    }

    /** Adds scale-down to the loop; called before the verticle is deployed. */
    void scaleDown(ScaleDownLoop loop) {
        this.scaleDown = loop;
    }

    /** Only the leader acts; a follower keeps its snapshot current so it can take over at once. */
    public void setLeader(boolean isLeader) {
        context.runOnContext(v -> {
            long term = ++leadership;
            if (isLeader) {
                takeOver(term);
            } else {
                leader = false;
                metrics.leader(false);
                if (scaleDown != null) {
                    scaleDown.leadership(false);
                }
            }
        });
    }

    /**
     * Acts only once the node groups' sizes have been read from the providers after winning the
     * lease: the old leader may have asked for nodes a moment ago, and a plan made on older sizes
     * would not count them as in flight and would ask for them again.
     */
    private void takeOver(long term) {
        refreshGroups().onComplete(ar -> {
            if (term != leadership) {
                return;
            }
            if (ar.failed()) {
                LOG.warn("leading, but the node group sizes could not be read; trying again before acting: {}",
                        ar.cause().getMessage());
                vertx.setTimer(1000, id -> takeOver(term));
                return;
            }
            leader = true;
            metrics.leader(true);
            if (scaleDown != null) {
                scaleDown.leadership(true);
            }
            requestPlan();
        });
    }

    private void onPod(PodEvent event) {
        try {
            ClusterState.Change change = state.apply(event);
            if (change == ClusterState.Change.UNCHANGED || change == ClusterState.Change.STALE) {
                metrics.eventIgnored(change == ClusterState.Change.STALE ? "out_of_order" : "duplicate");
            }
            invalidPods.remove(event.podKey());
            if (change == ClusterState.Change.NEW_PENDING) {
                batch.add(clock.instant());
                if (images != null) {
                    images.start(event.pod(), context, state::imageArchs);
                }
            }
            if (!(event instanceof io.archscaler.events.PodDeleted)) {
                hpa.onPodSeen(event.pod());
            }
            if (misplaced != null && event instanceof io.archscaler.events.PodScheduled scheduled) {
                state.archOfNode(scheduled.pod().getSpec().getNodeName())
                        .ifPresent(arch -> misplaced.check(scheduled.pod(), arch));
            }
            if (change != ClusterState.Change.NEW_PENDING && !state.pending().containsKey(event.podKey())) {
                latencyReported.remove(event.podKey());
            }
        } catch (IllegalArgumentException e) {
            // a pod whose requests cannot be read is reported, not planned, and the event counts as handled
            invalidPods.put(event.podKey(), e.getMessage());
            LOG.warn("pod {} cannot be planned: {}", event.podKey(), e.getMessage());
        }
        metrics.eventReceived("pods", event.getClass().getSimpleName());
    }

    /** An HPA will scale up: its extra pods join the next batch as headroom. */
    private void onForecast(HpaHeadroom.Forecast forecast) {
        String[] nsName = forecast.hpa().split("/", 2);
        metrics.hpaPrediction(nsName[0], nsName[nsName.length - 1], forecast.prediction().desiredReplicas());
        if (forecast.headroomPods() > 0) {
            LOG.info("HPA {} will ask for {} replicas: planning {} headroom pod(s) for {}", forecast.hpa(),
                    forecast.prediction().desiredReplicas(), forecast.headroomPods(), forecast.workload());
            // a forecast is one event carrying all its pods: no batching window to wait for
            requestPlan();
        }
    }

    private void tick() {
        Instant now = clock.instant();
        // the batch timer closes batches on time; the tick is a fallback for clocks that do not follow the timers
        if (!closeBatchIfDue(now) && (!state.pending().isEmpty() || !hpa.headroom().isEmpty())
                && batch.closesAt().isEmpty()
                && Duration.between(lastPlanAt, now).compareTo(settings.rescanInterval()) >= 0) {
            requestPlan();
        }
        provisioning.tick(state.readyNodesByGroup(), leader);
        if (Duration.between(lastRefreshAt, now).compareTo(settings.groupRefreshInterval()) >= 0) {
            refreshGroups();
        }
        // gauges walk every pending pod: once a second is enough for a 15 s scrape interval
        if (Duration.between(lastGaugesAt, now).toMillis() >= 1000) {
            lastGaugesAt = now;
            updateGauges();
        }
        if (scaleDown != null) {
            scaleDown.tick(leader);
        }
    }

    /** Closes the open batch when it is due rather than on the next tick, which would add up to 250 ms to it. */
    private void armBatchTimer() {
        if (batchTimer != -1) {
            return;
        }
        batch.closesAt().ifPresent(at -> {
            long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis() + 1);
            batchTimer = vertx.setTimer(delay, id -> {
                batchTimer = -1;
                if (!closeBatchIfDue(clock.instant())) {
                    // pods came meanwhile and moved the close later
                    armBatchTimer();
                }
            });
        });
    }

    /** Closes the open batch and plans it when it is due; false when there is no batch due. */
    private boolean closeBatchIfDue(Instant now) {
        if (!batch.isDue(now)) {
            return false;
        }
        batch.close();
        requestPlan();
        return true;
    }

    /** Pending pods wait for a plan or for capacity it found; pods no group can help do not count. */
    private boolean podsWaitForCapacity() {
        if (planning || batch.closesAt().isPresent()) {
            return true;
        }
        Set<String> hopeless = new HashSet<>();
        lastPlan.unschedulable().forEach(u -> hopeless.add(u.pod()));
        return state.pending().keySet().stream().anyMatch(k -> !hopeless.contains(k));
    }

    private Future<Void> refreshGroups() {
        lastRefreshAt = clock.instant();
        Map<String, Long> marks = groups.changeMarks();
        List<Future<Void>> calls = new ArrayList<>();
        for (NodeGroupProvider p : groups.distinctProviders()) {
            calls.add(refresh(p, marks));
        }
        return Future.join(calls).mapEmpty();
    }

    private Future<Void> refresh(NodeGroupProvider p, Map<String, Long> marks) {
        return Future.fromCompletionStage(p.nodeGroups(), context)
                .onSuccess(reported -> groups.refreshed(reported, marks))
                .onFailure(e -> LOG.warn("refreshing {} node groups failed: {}", p.id(), e.getMessage()))
                .mapEmpty();
    }

    private void requestPlan() {
        if (planning) {
            replan = true;
            return;
        }
        if (!leader) {
            return;
        }
        lastPlanAt = clock.instant();
        if (state.pending().isEmpty() && hpa.headroom().isEmpty()) {
            lastPlan = ScalePlan.EMPTY;
            return;
        }
        planning = true;
        long batchClosed = System.nanoTime();
        (images == null ? Future.<Void>succeededFuture() : images.settled(vertx)).compose(v -> {
            ClusterSnapshot snapshot = snapshot();
            int batchSize = snapshot.pendingPods().size();
            long started = System.nanoTime();
            return vertx.executeBlocking(() -> planner.plan(snapshot), false)
                    .map(plan -> {
                        metrics.planned(Duration.ofNanos(System.nanoTime() - started), batchSize);
                        return plan;
                    });
        })
                .compose(plan -> {
                    lastPlan = plan;
                    vertx.eventBus().publish(PLANS_ADDRESS, plan,
                            new DeliveryOptions().addHeader(PLAN_STARTED_HEADER, Long.toString(batchClosed)));
                    reportUnschedulable(plan);
                    Set<String> headroom = hpa.headroomPodKeys();
                    return leader ? actuator.apply(plan, new Outcomes(headroom, headroomIn(plan, headroom)))
                            : Future.<Void>succeededFuture();
                })
                .onFailure(e -> LOG.error("planning failed", e))
                .onComplete(ar -> {
                    planning = false;
                    if (replan) {
                        replan = false;
                        requestPlan();
                    }
                });
    }

    ClusterSnapshot snapshot() {
        List<NodeGroup> all = groups.all();
        Map<String, Integer> inFlight = provisioning.inFlight(state.readyNodesByGroup());
        List<PendingPod> pods = new ArrayList<>(state.pending().size());
        state.pending().values().forEach(e -> pods.add(e.planned()));
        pods.addAll(hpa.headroomPods());
        return new ClusterSnapshot(all, state.modelNodes(), pods, state.daemonSetPods(), inFlight,
                backoff.backedOff(), groups.openCircuits(), settings.limits());
    }

    private void reportUnschedulable(ScalePlan plan) {
        for (Unschedulable u : plan.unschedulable()) {
            ClusterState.PendingEntry e = state.pending().get(u.pod());
            if (e != null) {
                recorder.normal(e.pod(), "NotTriggerScaleUp", "pod didn't trigger scale-up: " + u.reason());
            }
        }
    }

    /** How many of the plan's pods are headroom for HPAs, wherever the planner put them. */
    private static int headroomIn(ScalePlan plan, Set<String> headroom) {
        if (headroom.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (ScaleUp up : plan.scaleUps()) {
            n += (int) up.pods().stream().filter(headroom::contains).count();
        }
        n += (int) plan.onExistingCapacity().stream().filter(headroom::contains).count();
        return n;
    }

    private final class Outcomes implements Actuator.Outcomes {
        private final Set<String> headroom;
        /** Headroom pods in the plan: the packing may put them on in-flight room and others on new nodes. */
        private final int headroomInPlan;

        Outcomes(Set<String> headroom, int headroomInPlan) {
            this.headroom = headroom;
            this.headroomInPlan = headroomInPlan;
        }

        @Override
        public void scaledUp(ScaleUp up) {
            Instant now = clock.instant();
            NodeGroup g = groups.get(up.nodeGroup());
            groups.setTarget(up.nodeGroup(), Math.max(g.targetSize(), up.to()));
            provisioning.requested(up.nodeGroup(), up.delta());
            backoff.succeeded(up.nodeGroup());
            if (scaleDown != null) {
                scaleDown.scaledUp(up.nodeGroup());
            }
            long headroomPods = headroom.isEmpty() ? 0 : up.pods().stream().filter(headroom::contains).count();
            metrics.scaleUp(up.nodeGroup(), up.arch().label(),
                    headroomPods == up.pods().size() ? "hpa_headroom" : "pending_pods", up.delta());
            if (headroomPods > 0) {
                metrics.headroomNodes(up.arch().label(),
                        (int) Math.ceil(up.delta() * (double) headroomPods / up.pods().size()));
            }
            String reason = up.fallbackReason() != null ? "fallback: " + up.fallbackReason()
                    : headroomInPlan > 0 ? "ahead of HPA: " + headroomInPlan + " headroom pod(s) in the plan" : null;
            record(new Decision(now, "scale-up", up.nodeGroup(), up.arch().label(), up.from(), up.to(), up.pods(),
                    null, reason, "requested", null));
            // the work per pod grows with the pods: it comes after this decision and after those of the plan's
            // other scale-ups that have already answered, so that none of them waits for it
            int maxSize = g.maxSize();
            context.runOnContext(v -> podsScaledUp(up, now, maxSize));
        }

        /** Per pod of a scale-up: how long it waited (a metric), whether it could have run on arm64, its Event. */
        private void podsScaledUp(ScaleUp up, Instant now, int maxSize) {
            int flexible = 0;
            List<PodRef> pods = new ArrayList<>(up.pods().size());
            for (String podKey : up.pods()) {
                ClusterState.PendingEntry e = state.pending().get(podKey);
                if (e == null) {
                    continue;
                }
                pods.add(e.pod());
                // only a fallback counts the pods that could have run on arm64
                if (up.fallbackReason() != null && ArchResolver.allowed(e.planned()).contains(Arch.ARM64)) {
                    flexible++;
                }
                if (latencyReported.add(podKey)) {
                    metrics.pendingToScaleUp(Duration.between(e.since(), now));
                }
            }
            if (up.fallbackReason() != null && flexible > 0) {
                metrics.fallbacks(up.nodeGroup(), up.arch().label(), FallbackReasons.word(up.fallbackReason()), flexible);
            }
            recorder.normal(pods, "TriggeredScaleUp", "pod triggered scale-up: [{" + up.nodeGroup() + " " + up.from()
                    + "->" + up.to() + " (max: " + maxSize + ")}]");
        }

        @Override
        public void scaleUpFailed(ScaleUp up, ProviderException error) {
            GroupBackoff.Entry b = backoff.failed(up.nodeGroup(), error.reason());
            metrics.failedScaleUp(up.nodeGroup(), up.arch().label(), error.reason());
            LOG.warn("scale-up of {} failed ({}); backing off until {} and planning its pods elsewhere",
                    up.nodeGroup(), error.getMessage(), b.until());
            record(new Decision(clock.instant(), "scale-up", up.nodeGroup(), up.arch().label(), up.from(), up.to(),
                    up.pods(), null, null, "failed", error.reason() + ": " + error.getMessage()));
            replan = true;
        }
    }

    private void record(Decision d) {
        recent.addFirst(d);
        while (recent.size() > RECENT_DECISIONS) {
            recent.removeLast();
        }
        LOG.info("{}", d.describe());
        for (DecisionSink sink : sinks) {
            sink.accept(d);
        }
        vertx.eventBus().publish(DECISIONS_ADDRESS, d);
    }

    private void updateGauges() {
        Map<String, Integer> ready = state.readyNodesByGroup();
        Map<String, Integer> inFlight = provisioning.inFlight(ready);
        Set<String> open = groups.openCircuits();
        for (NodeGroup g : groups.all()) {
            int r = ready.getOrDefault(g.name(), 0);
            metrics.nodeGroup(g.name(), g.arch().label(), g.minSize(), g.maxSize(), g.targetSize(), r,
                    inFlight.getOrDefault(g.name(), 0), backoff.isBackedOff(g.name()), open.contains(g.name()));
        }
        recordCost(ready);
        metrics.pendingPods(state.pendingByConstraint());
        metrics.unschedulablePods(lastPlan.unschedulable().size() + invalidPods.size());
    }

    private void recordCost(Map<String, Integer> readyByGroup) {
        Map<String, Integer> nodesByArch = new HashMap<>();
        for (Arch a : Arch.values()) {
            nodesByArch.put(a.label(), 0);
        }
        for (NodeGroup g : groups.all()) {
            nodesByArch.merge(g.arch().label(), readyByGroup.getOrDefault(g.name(), 0), Integer::sum);
        }
        metrics.cost(nodesByArch, CostModel.of(groups.all(), readyByGroup));
    }


    private JsonObject status() {
        JsonObject headroom = new JsonObject();
        hpa.headroom().forEach(e -> headroom.put(e.workload().namespace() + "/" + e.workload().kind() + "/"
                + e.workload().name(), new JsonObject().put("predictedReplicas", e.predictedReplicas())
                .put("headroomPods", e.remaining())));
        Map<String, Integer> ready = state.readyNodesByGroup();
        return StatusView.render(settings.cluster(), leader, groups.all(), ready, provisioning.inFlight(ready),
                backoff.entries(), groups.openCircuits(), clock.instant(), state.pendingByConstraint(),
                lastPlan.unschedulable(), invalidPods, List.copyOf(recent), state.nodes().size(), state.boundPods())
                .put("hpaHeadroom", headroom)
                .put("predictedReplicas", new JsonObject(Map.copyOf(hpa.predictedReplicas())));
    }
}
