package io.archscaler.controller;

import io.archscaler.cloud.ProviderException;
import io.archscaler.events.Decision;
import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.archscaler.scaler.state.GroupBackoff;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells what the scaling loop did: every {@link Decision} to the log, the sinks (the Kafka
 * decisions topic), the event bus and the recent list of {@code /status}; scale-up metrics; and
 * the pods' Kubernetes Events through the paced {@link PodEventRecorder}. Decides nothing; lives
 * on the scaler verticle's context.
 */
final class DecisionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionRecorder.class);
    private static final int RECENT_DECISIONS = 20;

    private final ScalingParts parts;
    private final Context context;
    private final Sinks sinks;
    private final PodEventRecorder events;
    private final Deque<Decision> recent = new ArrayDeque<>();
    /** Pods whose wait for a scale-up has been measured, so a pod counts once however often it is planned. */
    private final Set<String> latencyReported = new HashSet<>();
    private final Map<String, Instant> lastScaleUp = new HashMap<>();

    DecisionRecorder(ScalingParts parts, Context context, Sinks sinks, PodEventRecorder events) {
        this.parts = parts;
        this.context = context;
        this.sinks = sinks;
        this.events = events;
    }

    void record(Decision d) {
        recent.addFirst(d);
        while (recent.size() > RECENT_DECISIONS) {
            recent.removeLast();
        }
        LOG.info("{}", d.describe());
        for (DecisionSink sink : sinks.decisions()) {
            sink.accept(d);
        }
    }

    /** A plan was made for the batch that closed at {@code batchClosedNanos} ({@link System#nanoTime()}). */
    void made(ScalePlan plan, long batchClosedNanos) {
        for (PlanSink sink : sinks.plans()) {
            sink.planned(plan, batchClosedNanos);
        }
    }

    /** The latest decisions, newest first. */
    List<Decision> recent() {
        return List.copyOf(recent);
    }

    /** When each group last grew: its new nodes are not scaled down before delayAfterAdd. */
    Map<String, Instant> lastScaleUps() {
        return Map.copyOf(lastScaleUp);
    }

    void planned(Duration took, int batchSize) {
        parts.metrics().planned(took, batchSize);
    }

    /** A pod left the pending set other than by being planned anew: its next wait is measured again. */
    void podGone(String podKey) {
        latencyReported.remove(podKey);
    }

    /** Tells each pending pod no group could help why, as the Cluster Autoscaler does. */
    void unschedulable(ScalePlan plan) {
        for (Unschedulable u : plan.unschedulable()) {
            ClusterState.PendingEntry e = parts.state().pending().get(u.pod());
            if (e != null) {
                events.normal(e.pod(), "NotTriggerScaleUp", "pod didn't trigger scale-up: " + u.reason());
            }
        }
    }

    /**
     * A scale-up the cloud accepted.
     *
     * @param headroom       the HPA headroom pods of the plan's batch
     * @param headroomInPlan how many of them the plan placed, wherever it put them
     */
    void scaledUp(ScaleUp up, int maxSize, Set<String> headroom, int headroomInPlan) {
        Instant now = parts.clock().instant();
        lastScaleUp.put(up.nodeGroup(), now);
        long headroomPods = headroom.isEmpty() ? 0 : up.pods().stream().filter(headroom::contains).count();
        parts.metrics().scaleUp(up.nodeGroup(), up.arch().label(), up.capacityType().label(),
                headroomPods == up.pods().size() ? "hpa_headroom" : "pending_pods", up.delta());
        if (headroomPods > 0) {
            parts.metrics().headroomNodes(up.arch().label(),
                    (int) Math.ceil(up.delta() * (double) headroomPods / up.pods().size()));
        }
        Decision.Why why = up.fallbackReason() != null ? Decision.Why.fallback(up.fallbackReason())
                : headroomInPlan > 0 ? Decision.Why.aheadOfHpa(headroomInPlan + " headroom pod(s) in the plan") : null;
        record(scaleUp(up, now).withWhy(why));
        // the work per pod grows with the pods: it comes after this decision and after those of the plan's
        // other scale-ups that have already answered, so that none of them waits for it
        context.runOnContext(v -> podsScaledUp(up, now, maxSize));
    }

    /** Per pod of a scale-up: how long it waited (a metric), whether it could have run on arm64, its Event. */
    private void podsScaledUp(ScaleUp up, Instant now, int maxSize) {
        int flexible = 0;
        List<PodRef> pods = new ArrayList<>(up.pods().size());
        for (String podKey : up.pods()) {
            ClusterState.PendingEntry e = parts.state().pending().get(podKey);
            if (e == null) {
                continue;
            }
            pods.add(e.pod());
            // only a fallback counts the pods that could have run on arm64
            if (up.fallbackReason() != null && ArchResolver.allowed(e.planned()).contains(Arch.ARM64)) {
                flexible++;
            }
            if (latencyReported.add(podKey)) {
                parts.metrics().pendingToScaleUp(Duration.between(e.since(), now));
            }
        }
        if (up.fallback() != null && flexible > 0) {
            parts.metrics().fallbacks(up.nodeGroup(), up.arch().label(), up.capacityType().label(),
                    up.fallback().cause().label(), flexible);
        }
        events.normal(pods, "TriggeredScaleUp", "pod triggered scale-up: [{" + up.nodeGroup() + " " + up.from()
                + "->" + up.to() + " (max: " + maxSize + ")}]");
    }

    /**
     * A scale-up of a move toward arm64 the cloud accepted: no pending pod waits for it, so no
     * pod Event or latency, but the group's last growth and the decision as for any scale-up.
     */
    void scaledUpForMove(ScaleUp up, Decision.Why why) {
        Instant now = parts.clock().instant();
        lastScaleUp.put(up.nodeGroup(), now);
        parts.metrics().scaleUp(up.nodeGroup(), up.arch().label(), up.capacityType().label(),
                why.kind().name().toLowerCase(java.util.Locale.ROOT), up.delta());
        record(scaleUp(up, now).withWhy(why));
    }

    /** A scale-up of a move toward arm64 the cloud refused. */
    void scaleUpFailedForMove(ScaleUp up, ProviderException error, Decision.Why why) {
        parts.metrics().failedScaleUp(up.nodeGroup(), up.arch().label(), up.capacityType().label(), error.reason());
        record(scaleUp(up, parts.clock().instant()).withWhy(why).failed(error.reason() + ": " + error.getMessage()));
    }

    /** A scale-up the cloud refused: its group backs off until {@code backoff.until()}. */
    void scaleUpFailed(ScaleUp up, ProviderException error, GroupBackoff.Entry backoff) {
        parts.metrics().failedScaleUp(up.nodeGroup(), up.arch().label(), up.capacityType().label(), error.reason());
        LOG.warn("scale-up of {} failed ({}); backing off until {} and planning its pods elsewhere",
                up.nodeGroup(), error.getMessage(), backoff.until());
        record(scaleUp(up, parts.clock().instant()).failed(error.reason() + ": " + error.getMessage()));
    }

    private static Decision scaleUp(ScaleUp up, Instant time) {
        return Decision.of(Decision.SCALE_UP, time, up.nodeGroup(), up.arch().label()).withSizes(up.from(), up.to())
                .withPods(up.pods());
    }
}
