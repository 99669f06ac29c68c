package io.archscaler.controller;

import io.archscaler.config.ScaleDownConfig;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.restore.RestoreRules;
import io.archscaler.scaler.scaledown.Candidate;
import io.archscaler.scaler.scaledown.DrainRules;
import io.archscaler.scaler.scaledown.Removal;
import io.archscaler.scaler.scaledown.ScaleDownInput;
import io.archscaler.scaler.scaledown.ScaleDownPlanner;
import io.archscaler.scaler.scaledown.ScaleDownResult;
import io.archscaler.scaler.scaledown.ScaleDownRules;
import io.archscaler.scaler.scaledown.UnneededTracker;
import io.archscaler.scaler.scaledown.Unremovable;
import io.archscaler.scaler.state.LoopSchedule;
import io.archscaler.scaler.scaledown.UnremovableReason;
import io.fabric8.kubernetes.api.model.Node;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The scale-down half of the scaling loop, run by the leader every scan interval (when, by the
 * verticle's {@link LoopSchedule}): the pure
 * {@link ScaleDownPlanner} finds the unneeded nodes; those that waited long enough are removed in
 * the plan's order (amd64 first), empty ones up to {@code maxScaleDownParallelism} at once and at
 * most one node with pods per scan, each cordoned, tainted, drained and deleted with its own
 * instance. Nothing is removed while pending pods wait for capacity (a batch is open, a plan is
 * running, pods are planned onto new, in-flight or free room, or a group has nodes on their way);
 * pods no group can help do not hold scale-down back, as in the Cluster Autoscaler. Lives on the
 * scaler verticle's context.
 */
final class ScaleDownLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleDownLoop.class);
    static final String RESUMED_REASON = "drain finished by a new leader";

    /**
     * What scale-down is made of besides the scaling loop it is part of, and the rules of the
     * moves toward arm64 ({@link RestoreLoop}), which share its config and drainer.
     */
    record Setup(ScaleDownConfig config, NodeDrainer drainer, RestoreRules restore) {
    }

    private final ScaleDownConfig config;
    private final NodeDrainer drainer;
    private final ArchscalerMetrics metrics;
    private final Clock clock;
    private final UnneededTracker tracker;
    private final Vertx vertx;
    private final ClusterState state;
    private final NodeGroups groups;
    private final DecisionRecorder decisions;
    private final BooleanSupplier podsWaitForCapacity;
    private final Predicate<String> drainedByMove;
    private final NodeRemovals removals;
    private final Map<String, Instant> failedAt = new HashMap<>();
    private final Map<String, UnremovableReason> lastReason = new HashMap<>();
    private final Set<String> draining = new HashSet<>();
    private boolean leader;
    private boolean running;
    private boolean forgetTracked;
    private boolean recoverDrains;

    /**
     * What scale-down heeds besides its own rules: pods waiting for capacity (nothing is removed
     * then), and the nodes a move toward arm64 of this controller is draining (their drain taint is
     * the move's, not one a stopped controller left behind: its recovery leaves them).
     */
    record Guards(BooleanSupplier podsWaitForCapacity, Predicate<String> drainedByMove) {
    }

    /** @param context the scaler verticle's context, on which the loop lives */
    ScaleDownLoop(Setup setup, ScalingParts parts, Context context, DecisionRecorder decisions, Guards guards) {
        this.config = setup.config();
        this.drainer = setup.drainer();
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.tracker = new UnneededTracker(clock);
        this.vertx = context.owner();
        this.state = parts.state();
        this.groups = parts.groups();
        this.decisions = decisions;
        this.podsWaitForCapacity = guards.podsWaitForCapacity();
        this.drainedByMove = guards.drainedByMove();
        this.removals = new NodeRemovals(parts, context);
    }

    /**
     * Every 10s as the Cluster Autoscaler, or a fifth of unneededTime when that is shorter (never
     * under 500ms), so a node is not kept much longer than unneededTime.
     */
    static Duration scanInterval(Duration unneededTime) {
        Duration fifth = unneededTime.dividedBy(5);
        Duration min = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(10);
        return fifth.compareTo(min) < 0 ? min : fifth.compareTo(max) > 0 ? max : fifth;
    }

    /**
     * On becoming leader, a node left with the to-be-deleted taint by a controller that stopped
     * mid-drain is finished when nothing is left to evict (its instance may already be going away),
     * and undone otherwise: the plan that chose it is stale, and it will be chosen again if it is
     * still unneeded after unneededTime.
     */
    void leadership(boolean isLeader) {
        leader = isLeader;
        if (isLeader) {
            // done when the schedule next runs scale-down, once whatever this loop was doing has finished
            forgetTracked = true;
            recoverDrains = true;
        }
    }

    /** What scale-down asks of the schedule now: nothing while it runs or does not lead. */
    LoopSchedule.ScaleDown wants() {
        if (!leader || running) {
            return LoopSchedule.ScaleDown.IDLE;
        }
        if (recoverDrains) {
            return LoopSchedule.ScaleDown.RECOVER;
        }
        return config.enabled() ? LoopSchedule.ScaleDown.SCAN : LoopSchedule.ScaleDown.IDLE;
    }

    /** Does what {@link #wants} asks for at {@code now}; completes when it is done. */
    Future<Void> run(Instant now) {
        LoopSchedule.ScaleDown what = wants();
        if (what == LoopSchedule.ScaleDown.IDLE) {
            return Future.succeededFuture();
        }
        running = true;
        if (what == LoopSchedule.ScaleDown.RECOVER) {
            recoverDrains = false;
            return recoverInterruptedDrains().onComplete(ar -> running = false);
        }
        boolean hold = podsWaitForCapacity.getAsBoolean();
        boolean reset = forgetTracked;
        forgetTracked = false;
        Inputs inputs = inputs();
        return vertx.executeBlocking(() -> evaluate(inputs, hold, reset, now), false)
                .compose(result -> {
                    report(result);
                    return hold || !leader ? Future.<Void>succeededFuture() : execute(result.removals());
                })
                .onFailure(e -> LOG.error("scale-down failed", e))
                .otherwiseEmpty()
                .onComplete(ar -> running = false);
    }

    /** What the evaluation reads, copied on the context so the translation can run off it. */
    private record Inputs(List<NodeGroup> groups, WorkloadCopy workloads, Map<String, Instant> lastScaleUp,
                          Map<String, Instant> failedAt) {
    }

    private Inputs inputs() {
        return new Inputs(groups.all(), WorkloadCopy.of(state), decisions.lastScaleUps(), Map.copyOf(failedAt));
    }

    /** Runs off the event loop; the only place the tracker is read or written while the loop runs. */
    private ScaleDownResult evaluate(Inputs in, boolean hold, boolean reset, Instant now) {
        if (reset) {
            tracker.clear();
        }
        ScaleDownInput input = in.workloads().toInput(in.groups(), in.lastScaleUp(), in.failedAt());
        ScaleDownRules rules = new ScaleDownRules(config.utilizationThreshold(), config.unneededTime(),
                config.delayAfterAdd(), config.delayAfterFailure(), config.consolidate(),
                config.maxDisruptedNodes().of(in.workloads().nodes().size()));
        ScaleDownPlanner planner = new ScaleDownPlanner(rules);
        return hold ? planner.track(input, tracker) : planner.plan(input, tracker, now);
    }

    private void report(ScaleDownResult result) {
        Map<String, Integer> unneeded = new HashMap<>();
        for (Candidate c : result.unneeded()) {
            unneeded.merge(c.nodeGroup(), 1, Integer::sum);
        }
        for (NodeGroup g : groups.all()) {
            metrics.unneededNodes(g.name(), g.arch().label(), unneeded.getOrDefault(g.name(), 0));
        }
        Set<String> seen = new HashSet<>();
        for (Unremovable u : result.unremovable()) {
            seen.add(u.node());
            // counted when a node starts being kept for a reason, not on every scan
            if (lastReason.put(u.node(), u.reason()) != u.reason()) {
                metrics.unremovableNode(u.reason().label());
                LOG.debug("node {} kept: {}: {}", u.node(), u.reason(), u.detail());
            }
        }
        lastReason.keySet().retainAll(seen);
    }

    /** Removes in the waves {@link DrainRules#waves} gives, one after the other. */
    private Future<Void> execute(List<Removal> removals) {
        Future<Void> chain = Future.succeededFuture();
        for (List<Removal> wave : DrainRules.waves(removals, config.maxScaleDownParallelism())) {
            chain = chain.compose(v -> removeTogether(wave));
        }
        return chain;
    }

    private Future<Void> removeTogether(List<Removal> wave) {
        List<Future<Outcome>> all = wave.stream().map(this::remove).toList();
        // decided and recorded in plan order once the wave is done, so amd64-first reads as it was planned
        return Future.join(all).transform(ar -> {
            all.forEach(f -> {
                if (f.succeeded() && f.result() != null) {
                    decisions.record(f.result().decide());
                }
            });
            return Future.<Void>succeededFuture();
        });
    }

    /** How one removal went; {@code error} null when the node is gone. */
    private final class Outcome {
        final NodeGroup group;
        final String node;
        final String metricReason;
        final String reason;
        final Throwable error;

        Outcome(NodeGroup group, String node, String metricReason, String reason, Throwable error) {
            this.group = group;
            this.node = node;
            this.metricReason = metricReason;
            this.reason = reason;
            this.error = error;
        }

        Decision decide() {
            return error == null ? removed(group, node, metricReason, reason) : failed(group, node, reason, error);
        }
    }

    /** Drains and deletes one node; null when the plan no longer holds for it. */
    private Future<Outcome> remove(Removal r) {
        String stale = stale(r);
        if (stale != null || !leader) {
            LOG.info("not removing {} now: {}", r.node(), stale == null ? "no longer the leader" : stale);
            return Future.succeededFuture(null);
        }
        NodeGroup g = groups.get(r.nodeGroup());
        String providerId = NodeRemovals.providerId(state.nodes().get(r.node()));
        Instant started = clock.instant();
        draining.add(r.node());
        LOG.info("removing {} of {}: {}", r.node(), g.name(), r.reason());
        Instant[] drained = new Instant[1];
        return toFuture(drainer.cordonAndTaint(r.node()))
                .compose(v -> {
                    drainer.nodeEvent(r.node(), "Normal", "ScaleDown", "marked the node as toBeDeleted/unschedulable: "
                            + r.reason());
                    return toFuture(drainer.evictAndWait(r.node(), removals.podsToEvict(r.node())));
                })
                .compose(v -> {
                    drained[0] = clock.instant();
                    return removals.deleteInstance(g, r.node(), providerId);
                })
                .transform(ar -> {
                    draining.remove(r.node());
                    if (ar.succeeded()) {
                        metrics.drainDuration(g.name(), g.arch().label(), Duration.between(started, drained[0]));
                    }
                    return Future.succeededFuture(new Outcome(g, r.node(), r.kind().label(), r.reason(),
                            ar.succeeded() ? null : ar.cause()));
                });
    }

    private Decision removed(NodeGroup g, String node, String metricReason, String reason) {
        NodeRemovals.Sizes sizes = removals.lowerTarget(g);
        tracker.forget(node);
        failedAt.remove(node);
        metrics.scaleDown(g.name(), g.arch().label(), metricReason);
        drainer.nodeEvent(node, "Normal", "ScaleDown", "node removed by archscaler: " + reason);
        return Decision.of(Decision.SCALE_DOWN, clock.instant(), g.name(), g.arch().label()).withSizes(sizes.from(), sizes.to())
                .withNode(node).withWhy(Decision.Why.of(reason)).succeeded();
    }

    private Decision failed(NodeGroup g, String node, String reason, Throwable cause) {
        Throwable why = cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException
                ? cause.getCause() : cause;
        failedAt.put(node, clock.instant());
        LOG.warn("scale-down of {} failed: {}; uncordoning it and leaving it alone for {}", node, why.getMessage(),
                config.delayAfterFailure());
        drainer.uncordonAndUntaint(node).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("could not undo the drain of {}: {}", node, e.getMessage());
            }
        });
        drainer.nodeEvent(node, "Warning", "ScaleDownFailed", "failed to remove the node: " + why.getMessage());
        int from = groups.get(g.name()).targetSize();
        return Decision.of(Decision.SCALE_DOWN, clock.instant(), g.name(), g.arch().label()).withSizes(from, from)
                .withNode(node).withWhy(Decision.Why.of(reason)).failed(why.getMessage());
    }

    /** Whether this loop is draining the node now. */
    boolean draining(String node) {
        return draining.contains(node);
    }

    /** Why the plan no longer holds for the node (see {@link DrainRules#stale}); null when it still does. */
    private String stale(Removal r) {
        Node n = state.nodes().get(r.node());
        // a node moving to arm64 is the restore loop's: cordoned for its move, drained by it
        boolean beingDrained = n != null && (NodeRemovals.hasDrainTaint(n) || NodeDrainer.movingToArm64(n)
                || draining.contains(r.node()));
        List<String> evictable = removals.podsToEvict(r.node()).stream()
                .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).toList();
        return DrainRules.stale(r, n != null, beingDrained, evictable).orElse(null);
    }

    private Future<Void> recoverInterruptedDrains() {
        Map<String, String> groupOf = new HashMap<>();
        state.modelNodes().forEach(n -> groupOf.put(n.name(), n.nodeGroup()));
        List<Future<Void>> all = new ArrayList<>();
        for (Node n : new ArrayList<>(state.nodes().values())) {
            String name = n.getMetadata().getName();
            // a move still draining the node (leadership lost and won back meanwhile) is left to finish
            if (!NodeRemovals.hasDrainTaint(n) || draining.contains(name) || drainedByMove.test(name)) {
                continue;
            }
            NodeGroup g = groupOf.get(name) == null ? null : groups.get(groupOf.get(name));
            boolean finish = DrainRules.leftBehind(g, removals.podsToEvict(name).size()) == DrainRules.LeftBehind.FINISH;
            all.add(finish ? finishDrain(g, name, NodeRemovals.providerId(n)) : undoDrain(name));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Void> finishDrain(NodeGroup g, String node, String providerId) {
        LOG.info("node {} was left drained by a previous leader; removing it", node);
        draining.add(node);
        return removals.deleteInstance(g, node, providerId).transform(ar -> {
            draining.remove(node);
            decisions.record(new Outcome(g, node, "resumed", RESUMED_REASON, ar.succeeded() ? null : ar.cause()).decide());
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Void> undoDrain(String node) {
        LOG.info("node {} was left mid-drain by a previous leader; putting it back in service", node);
        drainer.nodeEvent(node, "Normal", "ScaleDownCancelled",
                "drain interrupted by a controller restart; node uncordoned, to be considered again");
        return toFuture(drainer.uncordonAndUntaint(node)).otherwise(e -> {
            LOG.warn("could not undo the interrupted drain of {}: {}", node, e.getMessage());
            return null;
        });
    }

    private <T> Future<T> toFuture(CompletionStage<T> stage) {
        return removals.toFuture(stage);
    }
}
