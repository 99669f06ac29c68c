package io.archscaler.controller;

import io.archscaler.cloud.ProviderException;
import io.archscaler.events.PodEvent;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.state.BatchWindow;
import io.archscaler.scaler.state.GroupBackoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scale-up half of the scaling loop: batches pending pods, runs the {@link Planner} off the
 * event loop on a snapshot of the cluster, and hands the plan's scale-ups to the {@link Actuator};
 * one plan at a time, and another at once when something asked for one meanwhile. What to do is
 * the planner's and the backoff's; when is the {@link io.archscaler.scaler.state.LoopSchedule}'s,
 * which the verticle keeps. Lives on the scaler verticle's context.
 */
final class ScaleUpLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleUpLoop.class);

    private final ScalingParts parts;
    private final Context context;
    private final ProvisioningWatch provisioning;
    private final DecisionRecorder decisions;
    /** Null when images are not looked up. */
    private final PodImageLookups images;
    private final Actuator actuator;
    private final Planner planner = new Planner();
    private final BatchWindow batch;
    /** Pods whose requests cannot be read, with why: reported, never planned. */
    private final Map<String, String> invalidPods = new TreeMap<>();
    /** Pods of nodes being replaced for an interruption, for the next plan, and who waits for that plan. */
    private final List<PendingPod> displaced = new ArrayList<>();
    private final List<Promise<ScalePlan>> displacedWaiting = new ArrayList<>();
    private ScalePlan lastPlan = ScalePlan.EMPTY;
    private boolean leader;
    private boolean planning;
    private boolean replan;
    private Instant lastPlanAt = Instant.EPOCH;

    ScaleUpLoop(ScalingParts parts, Context context, ProvisioningWatch provisioning, DecisionRecorder decisions,
                PodImageLookups images) {
        this.parts = parts;
        this.context = context;
        this.provisioning = provisioning;
        this.decisions = decisions;
        this.images = images;
        this.actuator = new Actuator(parts.groups(), context);
        this.batch = new BatchWindow(parts.settings().batchIdle(), parts.settings().batchMax());
    }

    /** Only the leader plans and acts. */
    void leading(boolean isLeader) {
        leader = isLeader;
    }

    /** A pod event the cluster view has taken in: a new pending pod opens or extends the batch. */
    void podSeen(PodEvent event, ClusterState.Change change) {
        invalidPods.remove(event.podKey());
        if (change == ClusterState.Change.NEW_PENDING) {
            batch.add(parts.clock().instant());
            if (images != null) {
                images.start(event.pod(), context, parts.state()::imageArchs);
            }
        } else if (!parts.state().pending().containsKey(event.podKey())) {
            decisions.podGone(event.podKey());
        }
    }

    /** A pod whose requests cannot be read is reported, not planned. */
    void cannotPlan(String podKey, String why) {
        invalidPods.put(podKey, why);
        LOG.warn("pod {} cannot be planned: {}", podKey, why);
    }

    Map<String, String> invalidPods() {
        return invalidPods;
    }

    ScalePlan lastPlan() {
        return lastPlan;
    }

    /** When the open batch closes; empty when none is open. */
    Optional<Instant> batchClosesAt() {
        return batch.closesAt();
    }

    /**
     * When the last plan started, while pending pods or headroom wait and a plan could start now
     * (leading, none under way): they are planned again a rescan interval after it.
     */
    Optional<Instant> lastPlanWhilePodsWait() {
        boolean waiting = !parts.state().pending().isEmpty() || !parts.hpa().headroom().isEmpty();
        return leader && !planning && waiting ? Optional.of(lastPlanAt) : Optional.empty();
    }

    /** Closes the open batch and plans it when it is due at {@code now}. */
    void closeBatchIfDue(Instant now) {
        if (batch.isDue(now)) {
            batch.close();
            requestPlan();
        }
    }

    /** Pending pods wait for a plan or for capacity it found; pods no group can help do not count. */
    boolean podsWaitForCapacity() {
        if (planning || batch.closesAt().isPresent()) {
            return true;
        }
        Set<String> hopeless = new HashSet<>();
        lastPlan.unschedulable().forEach(u -> hopeless.add(u.pod()));
        return parts.state().pending().keySet().stream().anyMatch(k -> !hopeless.contains(k));
    }

    /**
     * Plans the pods of a node that is going away as if they were pending, with the pending pods,
     * in the next plan; completes with that plan once its scale-ups were answered.
     */
    Future<ScalePlan> planDisplaced(List<PendingPod> pods) {
        if (!leader) {
            return Future.failedFuture("not leading: nothing is planned");
        }
        Promise<ScalePlan> done = Promise.promise();
        displaced.addAll(pods);
        displacedWaiting.add(done);
        requestPlan();
        return done.future();
    }

    /** Plans now, or right after the plan under way. */
    void requestPlan() {
        if (planning) {
            replan = true;
            return;
        }
        List<Promise<ScalePlan>> waiting = List.copyOf(displacedWaiting);
        List<PendingPod> extra = List.copyOf(displaced);
        displacedWaiting.clear();
        displaced.clear();
        if (!leader) {
            waiting.forEach(p -> p.fail("not leading: nothing is planned"));
            return;
        }
        lastPlanAt = parts.clock().instant();
        if (parts.state().pending().isEmpty() && parts.hpa().headroom().isEmpty() && extra.isEmpty()) {
            lastPlan = ScalePlan.EMPTY;
            waiting.forEach(p -> p.complete(ScalePlan.EMPTY));
            return;
        }
        planning = true;
        long batchClosed = System.nanoTime();
        Vertx vertx = context.owner();
        (images == null ? Future.<Void>succeededFuture() : images.settled(vertx)).compose(v -> {
            ClusterSnapshot snapshot = snapshot(extra);
            int batchSize = snapshot.pendingPods().size();
            long started = System.nanoTime();
            return vertx.executeBlocking(() -> planner.plan(snapshot), false)
                    .map(plan -> {
                        decisions.planned(Duration.ofNanos(System.nanoTime() - started), batchSize);
                        return plan;
                    });
        })
                .compose(plan -> {
                    lastPlan = plan;
                    decisions.made(plan, batchClosed);
                    decisions.unschedulable(plan);
                    Set<String> headroom = parts.hpa().headroomPodKeys();
                    return (leader ? actuator.apply(plan, new Outcomes(headroom, headroomIn(plan, headroom)))
                            : Future.<Void>failedFuture("leadership lost while planning")).map(plan);
                })
                .onSuccess(plan -> waiting.forEach(p -> p.complete(plan)))
                .onFailure(e -> {
                    waiting.forEach(p -> p.fail(e));
                    if (leader) {
                        LOG.error("planning failed", e);
                    }
                })
                .onComplete(ar -> {
                    planning = false;
                    if (replan) {
                        replan = false;
                        requestPlan();
                    }
                });
    }

    private ClusterSnapshot snapshot(List<PendingPod> extra) {
        ClusterState state = parts.state();
        Map<String, Integer> inFlight = provisioning.inFlight(state.readyNodesByGroup());
        List<PendingPod> pods = new ArrayList<>(state.pending().size() + extra.size());
        state.pending().values().forEach(e -> pods.add(e.planned()));
        pods.addAll(extra);
        pods.addAll(parts.hpa().headroomPods());
        return new ClusterSnapshot(parts.groups().all(), state.modelNodes(), pods, state.daemonSetPods(), inFlight,
                parts.backoff().backedOff(), parts.groups().openCircuits(), parts.settings().limits(),
                parts.offerings().unavailableGroups(parts.groups().all()));
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

    /** What the loop does with each scale-up's answer: the group's new size, or its backoff and a new plan. */
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
            NodeGroup g = parts.groups().get(up.nodeGroup());
            parts.groups().setTarget(up.nodeGroup(), Math.max(g.targetSize(), up.to()));
            provisioning.requested(up.nodeGroup(), up.delta());
            parts.backoff().succeeded(up.nodeGroup());
            decisions.scaledUp(up, g.maxSize(), headroom, headroomInPlan);
        }

        @Override
        public void scaleUpFailed(ScaleUp up, ProviderException error) {
            GroupBackoff.Entry b = parts.backoff().failed(up.nodeGroup(), error.reason());
            parts.offeringsFailed(up.nodeGroup(), error);
            decisions.scaleUpFailed(up, error, b);
            replan = true;
        }
    }
}
