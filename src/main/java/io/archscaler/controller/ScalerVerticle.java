package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.events.Decision;
import io.archscaler.expander.ExpanderCalls;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.events.NodeChanged;
import io.archscaler.events.ObjectChanged;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.archscaler.events.PodScheduled;
import io.archscaler.hpa.HpaHeadroom;
import io.archscaler.scaler.interruption.InterruptionNotice;
import io.archscaler.scaler.interruption.InterruptionPolicy;
import io.archscaler.scaler.state.LoopSchedule;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The scaling loop's verticle: keeps the cluster snapshot current from events, and wires and
 * schedules its parts, which live on its context: the {@link ScaleUpLoop}, the
 * {@link ScaleDownLoop}, the {@link RestoreLoop} moving pods back to arm64, the
 * {@link ProvisioningWatch} over nodes on their way, the
 * {@link DecisionRecorder} and the {@link StatusBuilder}. It decides nothing itself: when each
 * duty falls due is the {@link LoopSchedule}'s, and one wake-up from the injected {@link Wakeups},
 * armed for the next due instant, prompts it.
 */
public final class ScalerVerticle extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(ScalerVerticle.class);
    private static final Duration GAUGES_EVERY = Duration.ofSeconds(1);

    private final ScalingParts parts;
    private final PodEventRecorder events;
    private final Sinks sinks;
    private final ScaleDownLoop.Setup scaleDownSetup;
    private final Wakeups wakeups;
    private PodImageLookups images;
    private MisplacedPodGuard misplaced;
    private ExpanderCalls expanderCalls;
    /** Null when no interruption queue is read. */
    private InterruptionPolicy interruptionPolicy;
    private String interruptionQueue;
    private Interruptions interruptions;
    // the parts below live on the verticle's context, so they are built in start()
    private DecisionRecorder decisions;
    private ProvisioningWatch provisioning;
    private ScaleUpLoop scaleUp;
    private ScaleDownLoop scaleDown;
    private RestoreLoop restore;
    private StatusBuilder status;
    private boolean leader;
    /** Counts leadership changes, so a takeover that finishes after leadership was lost does nothing. */
    private long leadership;
    private LoopSchedule schedule;
    /** The one wake-up armed, and its instant; null when none is. */
    private Wakeups.Wakeup armed;
    private Instant armedAt;
    private boolean stopped;

    ScalerVerticle(ScalingParts parts, PodEventRecorder events, Sinks sinks,
                   ScaleDownLoop.Setup scaleDown, Wakeups wakeups) {
        this.parts = parts;
        this.events = events;
        this.sinks = sinks;
        this.scaleDownSetup = scaleDown;
        this.wakeups = wakeups;
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

    /** Adds the gRPC expander's last calls to {@code /status}. */
    ScalerVerticle withExpander(ExpanderCalls calls) {
        this.expanderCalls = calls;
        return this;
    }

    /** Handles the messages of the interruption queue at {@code queueUrl} by {@code policy}. Call before deploying. */
    ScalerVerticle withInterruptions(InterruptionPolicy policy, String queueUrl) {
        this.interruptionPolicy = policy;
        this.interruptionQueue = queueUrl;
        return this;
    }

    @Override
    public void start(Promise<Void> started) {
        ClusterState state = parts.state();
        decisions = new DecisionRecorder(parts, context, sinks, events);
        provisioning = new ProvisioningWatch(parts, context, new ProvisioningWatch.Loop() {
            @Override
            public void record(Decision decision) {
                decisions.record(decision);
            }

            @Override
            public void replan() {
                scaleUp.requestPlan();
            }

            @Override
            public Future<Void> refresh(NodeGroupProvider provider) {
                return ScalerVerticle.this.refresh(provider, parts.groups().changeMarks());
            }

            @Override
            public void wakeBy(Instant at) {
                ScalerVerticle.this.wakeBy(at);
            }

            @Override
            public void gaveUp(String group) {
                restore.gaveUp(group);
                ScalerVerticle.this.wakeBy(parts.clock().instant());
            }
        });
        scaleUp = new ScaleUpLoop(parts, context, provisioning, decisions, images);
        // nodes on their way, by the same definition the planner uses, hold scale-down back too
        BooleanSupplier hold = () -> scaleUp.podsWaitForCapacity()
                || !provisioning.inFlight(state.readyNodesByGroup()).isEmpty();
        Moves moves = new Moves(parts, context, provisioning, decisions, scaleDownSetup.drainer());
        if (interruptionPolicy != null) {
            interruptions = new Interruptions(parts, new NodeRemovals(parts, context), scaleDownSetup.drainer(), scaleUp,
                    interruptionPolicy, () -> leader);
            vertx.eventBus().<InterruptionNotice>consumer(EventAddresses.INTERRUPTIONS,
                    m -> interruptions.handle(m.body()).onComplete(ar -> m.reply(ar.result())));
        }
        // a node drained for a move or replaced for an interruption is not scale-down's
        scaleDown = new ScaleDownLoop(scaleDownSetup, parts, context, decisions, new ScaleDownLoop.Guards(hold,
                n -> moves.draining(n) || (interruptions != null && interruptions.replacing(n))));
        restore = new RestoreLoop(scaleDownSetup, parts, context, new RestoreLoop.Guards(hold, scaleDown::draining),
                moves);
        status = new StatusBuilder(parts, provisioning, scaleUp, decisions, restore);
        schedule = new LoopSchedule(new LoopSchedule.Intervals(parts.settings().rescanInterval(),
                parts.settings().groupRefreshInterval(), GAUGES_EVERY,
                ScaleDownLoop.scanInterval(scaleDownSetup.config().unneededTime())));
        EventAddresses addresses = parts.settings().addresses();
        vertx.eventBus().<PodEvent>consumer(addresses.pods(), m -> {
            onPod(m.body());
            scaleUp.batchClosesAt().ifPresent(this::wakeBy);
            m.reply(null);
        });
        vertx.eventBus().<PodEventBatch>consumer(addresses.podBatches(), m -> {
            m.body().events().forEach(this::onPod);
            scaleUp.batchClosesAt().ifPresent(this::wakeBy);
            m.reply(null);
        });
        vertx.eventBus().<NodeChanged>consumer(addresses.nodes(), m -> {
            state.apply(m.body());
            // a node Ready may be what a move to arm64 waits for
            restore.wants(state.readyNodesByGroup(), parts.clock().instant()).movesAt().ifPresent(this::wakeBy);
            parts.metrics().eventReceived("informer", m.body().deleted() ? "NodeDeleted" : "NodeChanged");
            m.reply(null);
        });
        vertx.eventBus().<ObjectChanged>consumer(addresses.objects(), m -> {
            state.apply(m.body());
            parts.hpa().onObject(m.body().object(), m.body().deleted()).ifPresent(check -> {
                String[] nsName = check.hpa().split("/", 2);
                parts.metrics().hpaPredictionError(nsName[0], nsName[nsName.length - 1], check.error());
            });
            m.reply(null);
        });
        vertx.eventBus().<MetricSample>consumer(addresses.metrics(), m -> {
            parts.metrics().eventReceived("metric", "MetricSample");
            parts.hpa().onSample(m.body()).ifPresent(this::onForecast);
            m.reply(null);
        });
        vertx.eventBus().consumer(addresses.status(), m -> {
            JsonObject body = status.status(leader)
                    .put("interruptions", interruptions == null ? null : interruptions.status().put("queue", interruptionQueue));
            m.reply(expanderCalls == null ? body : body.put("expander", expanderCalls.toJson()));
        });
        refreshGroups().onComplete(ar -> {
            wake();
            started.complete();
        });
    }

    @Override
    public void stop() {
        stopped = true;
        if (armed != null) {
            armed.cancel();
        }
    }

    /** Only the leader acts; a follower keeps its snapshot current so it can take over at once. */
    public void setLeader(boolean isLeader) {
        context.runOnContext(v -> {
            long term = ++leadership;
            if (isLeader) {
                takeOver(term);
            } else {
                leader = false;
                scaleUp.leading(false);
                parts.metrics().leader(false);
                scaleDown.leadership(false);
                restore.leadership(false);
            }
            wakeBy(parts.clock().instant());
        });
    }

    /**
     * Acts only once the node groups' sizes have been read from the providers after winning the
     * lease: the old leader may have asked for nodes a moment ago, and a plan made on older sizes
     * would not count them as in flight and would ask for them again.
     */
    private void takeOver(long term) {
        refreshGroups().onComplete(ar -> {
            // a fleet cluster stopped while it took over (its partition revoked at once) must not retry
            // on providers already closed, every second, for the life of the replica
            if (term != leadership || stopped) {
                return;
            }
            if (ar.failed()) {
                LOG.warn("leading, but the node group sizes could not be read; trying again before acting: {}",
                        ar.cause().getMessage());
                wakeups.at(parts.clock().instant().plusSeconds(1), context, () -> takeOver(term));
                return;
            }
            leader = true;
            scaleUp.leading(true);
            parts.metrics().leader(true);
            scaleDown.leadership(true);
            restore.leadership(true);
            scaleUp.requestPlan();
            wakeBy(parts.clock().instant());
        });
    }

    private void onPod(PodEvent event) {
        ClusterState state = parts.state();
        try {
            ClusterState.Change change = state.apply(event);
            if (change == ClusterState.Change.UNCHANGED || change == ClusterState.Change.STALE) {
                parts.metrics().eventIgnored(change == ClusterState.Change.STALE ? "out_of_order" : "duplicate");
            }
            scaleUp.podSeen(event, change);
            if (!(event instanceof PodDeleted)) {
                parts.hpa().onPodSeen(event.pod());
            }
            if (misplaced != null && event instanceof PodScheduled scheduled) {
                state.archOfNode(scheduled.pod().getSpec().getNodeName())
                        .ifPresent(arch -> misplaced.check(scheduled.pod(), arch));
            }
        } catch (IllegalArgumentException e) {
            // a pod whose requests cannot be read is reported, not planned, and the event counts as handled
            scaleUp.cannotPlan(event.podKey(), e.getMessage());
        }
        parts.metrics().eventReceived("pods", event.getClass().getSimpleName());
    }

    /** An HPA will scale up: its extra pods join the next batch as headroom. */
    private void onForecast(HpaHeadroom.Forecast forecast) {
        String[] nsName = forecast.hpa().split("/", 2);
        parts.metrics().hpaPrediction(nsName[0], nsName[nsName.length - 1], forecast.prediction().desiredReplicas());
        if (forecast.headroomPods() > 0) {
            LOG.info("HPA {} will ask for {} replicas: planning {} headroom pod(s) for {}", forecast.hpa(),
                    forecast.prediction().desiredReplicas(), forecast.headroomPods(), forecast.workload());
            // a forecast is one event carrying all its pods: no batching window to wait for
            scaleUp.requestPlan();
        }
    }

    /**
     * Runs the duties the schedule says are due by the clock, then arms the one wake-up for the
     * next: time reaches the loop only through here.
     */
    private void wake() {
        // the wake-up armed is this one, or one this wake makes early: either way it is done with
        if (armed != null) {
            armed.cancel();
        }
        armed = null;
        armedAt = null;
        if (stopped) {
            return;
        }
        Instant now = parts.clock().instant();
        Map<String, Integer> ready = parts.state().readyNodesByGroup();
        provisioning.reconcile(ready);
        for (LoopSchedule.Duty duty : schedule.due(now, loopState(ready, now)).now()) {
            switch (duty) {
                case CLOSE_BATCH -> scaleUp.closeBatchIfDue(now);
                case RESCAN -> scaleUp.requestPlan();
                case CHECK_PROVISIONING -> provisioning.act(ready);
                case REFRESH_GROUPS -> refreshGroups().onComplete(ar -> wakeBy(parts.clock().instant()));
                case UPDATE_GAUGES -> {
                    // gauges walk every pending pod: once a second is enough for a 15 s scrape interval
                    schedule.done(LoopSchedule.Duty.UPDATE_GAUGES, now);
                    status.updateGauges();
                }
                case SCAN_SCALE_DOWN -> {
                    if (scaleDown.wants() == LoopSchedule.ScaleDown.SCAN) {
                        schedule.done(LoopSchedule.Duty.SCAN_SCALE_DOWN, now);
                    }
                    scaleDown.run(now).onComplete(ar -> wakeBy(parts.clock().instant()));
                }
                case SCAN_RESTORE -> {
                    if (restore.wants(ready, now).scan() == LoopSchedule.ScaleDown.SCAN) {
                        schedule.done(LoopSchedule.Duty.SCAN_RESTORE, now);
                    }
                    restore.run(now).onComplete(ar -> wakeBy(parts.clock().instant()));
                }
                case ADVANCE_MOVES -> restore.advance(ready);
            }
        }
        wakeBy(schedule.due(now, loopState(ready, now)).next());
    }

    private LoopSchedule.Loop loopState(Map<String, Integer> ready, Instant now) {
        return new LoopSchedule.Loop(scaleUp.batchClosesAt(), scaleUp.lastPlanWhilePodsWait(),
                leader ? provisioning.nextDue(ready) : Optional.empty(), scaleDown.wants(), restore.wants(ready, now));
    }

    /** Makes sure the loop wakes by {@code at}: arms the wake-up again only when that is sooner. */
    private void wakeBy(Instant at) {
        if (stopped || (armedAt != null && !at.isBefore(armedAt))) {
            return;
        }
        if (armed != null) {
            armed.cancel();
        }
        armedAt = at;
        armed = wakeups.at(at, context, this::wake);
    }

    private Future<Void> refreshGroups() {
        schedule.done(LoopSchedule.Duty.REFRESH_GROUPS, parts.clock().instant());
        Map<String, Long> marks = parts.groups().changeMarks();
        List<Future<Void>> calls = new ArrayList<>();
        for (NodeGroupProvider p : parts.groups().distinctProviders()) {
            calls.add(refresh(p, marks));
        }
        return Future.join(calls).mapEmpty();
    }

    private Future<Void> refresh(NodeGroupProvider p, Map<String, Long> marks) {
        return Future.fromCompletionStage(p.nodeGroups(), context)
                .onSuccess(reported -> parts.groups().refreshed(reported, marks))
                .onFailure(e -> LOG.warn("refreshing {} node groups failed: {}", p.id(), e.getMessage()))
                .mapEmpty();
    }
}
