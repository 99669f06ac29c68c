package io.archscaler.controller;

import io.archscaler.config.ScaleDownConfig;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.restore.Kept;
import io.archscaler.scaler.restore.KeptReason;
import io.archscaler.scaler.restore.MoveHistory;
import io.archscaler.scaler.restore.MoveSteps;
import io.archscaler.scaler.restore.Replacement;
import io.archscaler.scaler.restore.RestoreInput;
import io.archscaler.scaler.restore.RestorePlan;
import io.archscaler.scaler.restore.RestorePlanner;
import io.archscaler.scaler.restore.RestoreReason;
import io.archscaler.scaler.state.LoopSchedule;
import io.fabric8.kubernetes.api.model.Node;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Moves pods back to arm64, run by the leader at scale-down's scan interval (when, by the
 * verticle's {@link LoopSchedule}): the pure {@link RestorePlanner} says which amd64 nodes to
 * empty onto arm64 and with what capacity, and {@link Moves} carries each move out. Only with
 * {@code scaleDown.enabled} and {@code restore.enabled} (or {@code consolidate}, for replacements
 * alone); never while pending pods wait for capacity (scale-down's hold) or a draining or finished move's
 * pods are not all bound again ({@link io.archscaler.scaler.restore.SettlingMoves}), nor on a node
 * scale-down is draining. On taking over, a node marked as moving with no move of this
 * controller under way is put back in service ({@link MoveSteps#recover}). Lives on the scaler
 * verticle's context.
 */
final class RestoreLoop {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreLoop.class);

    /** What holds moves back: pods waiting for capacity (scale-down's hold), and the nodes scale-down drains. */
    record Guards(BooleanSupplier podsWaitForCapacity, Predicate<String> drainedByScaleDown) {
    }

    private final ScaleDownConfig config;
    private final RestorePlanner planner;
    private final ScalingParts parts;
    private final Context context;
    private final Guards guards;
    private final Moves moves;
    private List<Kept> lastKept = List.of();
    private boolean leader;
    private boolean running;
    private boolean recover;

    /**
     * @param moves  carries out the moves the planner chooses
     * @param guards what holds moves back
     */
    RestoreLoop(ScaleDownLoop.Setup setup, ScalingParts parts, Context context, Guards guards, Moves moves) {
        this.config = setup.config();
        this.planner = new RestorePlanner(setup.restore());
        this.parts = parts;
        this.context = context;
        this.guards = guards;
        this.moves = moves;
    }

    void leadership(boolean isLeader) {
        leader = isLeader;
        if (isLeader) {
            recover = true;
        } else {
            moves.abandon();
        }
    }

    private boolean enabled() {
        return config.enabled() && (config.restore().enabled() || config.consolidate());
    }

    /** What moves ask of the schedule at {@code now}. */
    LoopSchedule.Restore wants(Map<String, Integer> ready, Instant now) {
        LoopSchedule.ScaleDown scan = !leader || running ? LoopSchedule.ScaleDown.IDLE
                : recover ? LoopSchedule.ScaleDown.RECOVER
                : enabled() ? LoopSchedule.ScaleDown.SCAN : LoopSchedule.ScaleDown.IDLE;
        return new LoopSchedule.Restore(scan, leader ? moves.nextStep(ready, now) : Optional.empty());
    }

    /** Takes the next step of the moves that have one. */
    void advance(Map<String, Integer> ready) {
        moves.advance(ready, leader);
    }

    /** Nodes of the group on their way were given up on. */
    void gaveUp(String group) {
        moves.capacityFailed(group);
    }

    /** Does what {@link #wants} asks for: recovery, or a scan that may start moves. */
    Future<Void> run(Instant now) {
        LoopSchedule.ScaleDown what = wants(Map.of(), now).scan();
        if (what == LoopSchedule.ScaleDown.IDLE) {
            return Future.succeededFuture();
        }
        if (what == LoopSchedule.ScaleDown.RECOVER) {
            recover = false;
            recoverLeftMoves();
            return Future.succeededFuture();
        }
        if (guards.podsWaitForCapacity().getAsBoolean() || moves.settling(now)) {
            return Future.succeededFuture();
        }
        running = true;
        // copied on the context; translated and planned off it
        ClusterSnapshot snapshot = snapshot();
        WorkloadCopy workloads = WorkloadCopy.of(parts.state());
        Set<String> halfOpen = parts.groups().halfOpenCircuits();
        MoveHistory history = moves.history(config.restore().interval());
        return context.owner().executeBlocking(() -> planner.plan(new RestoreInput(snapshot,
                        workloads.toInput(snapshot.nodeGroups(), Map.of(), Map.of()), halfOpen, history, now)), false)
                .compose(this::start)
                .onFailure(e -> LOG.error("restore scan failed", e))
                .otherwiseEmpty()
                .onComplete(ar -> running = false);
    }

    /** As the scale-up planner sees the cluster: the pending pods are planned before any move. */
    private ClusterSnapshot snapshot() {
        ClusterState state = parts.state();
        List<PendingPod> pods = new ArrayList<>(state.pending().size());
        state.pending().values().forEach(e -> pods.add(e.planned()));
        return new ClusterSnapshot(parts.groups().all(), state.modelNodes(), pods, state.daemonSetPods(),
                moves.inFlight(state.readyNodesByGroup()), parts.backoff().backedOff(),
                parts.groups().openCircuits(), parts.settings().limits(),
                parts.offerings().unavailableGroups(parts.groups().all()));
    }

    private Future<Void> start(RestorePlan plan) {
        logNewlyKept(plan.kept());
        lastKept = plan.kept();
        if (!leader || guards.podsWaitForCapacity().getAsBoolean()) {
            return Future.succeededFuture();
        }
        List<Future<Void>> started = new ArrayList<>();
        for (Replacement r : plan.replacements()) {
            String stale = stale(r);
            if (stale != null) {
                LOG.info("not moving {} now: {}", r.node(), stale);
                continue;
            }
            started.add(moves.start(r));
        }
        return Future.join(started).mapEmpty();
    }

    /** At debug, each amd64 node kept for another reason than at the last scan, with the details /status leaves out. */
    private void logNewlyKept(List<Kept> kept) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        Map<String, KeptReason> before = new HashMap<>();
        lastKept.forEach(k -> before.put(k.node(), k.reason()));
        for (Kept k : kept) {
            if (before.get(k.node()) != k.reason()) {
                LOG.debug("node {} stays on amd64: {}: {}", k.node(), k.reason(), k.detail());
            }
        }
    }

    /** Why the plan no longer holds for the node; null when it still does. */
    private String stale(Replacement r) {
        Node n = parts.state().nodes().get(r.node());
        if (r.reason() == RestoreReason.RESTORE && !config.restore().enabled()) {
            return "restore.enabled is false";
        }
        if (n == null) {
            return "the node is gone";
        }
        if (guards.drainedByScaleDown().test(r.node()) || NodeRemovals.hasDrainTaint(n)) {
            return "scale-down is draining it";
        }
        if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
            return "it was cordoned meanwhile";
        }
        return null;
    }

    /** Nodes marked as moving by a controller that stopped: undone unless their drain had started. */
    private void recoverLeftMoves() {
        for (Node n : new ArrayList<>(parts.state().nodes().values())) {
            String name = n.getMetadata().getName();
            MoveSteps.Recovery what = MoveSteps.recover(NodeDrainer.movingToArm64(n), NodeRemovals.hasDrainTaint(n),
                    moves.owns(name));
            if (what == MoveSteps.Recovery.UNDO) {
                LOG.info("node {} was left moving to arm64 by a previous leader; putting it back in service", name);
                moves.undoLeft(name);
            }
        }
    }

    /** The {@code /status} lines: moves in progress, the last moves, and the amd64 nodes kept, by reason. */
    JsonObject status() {
        Map<String, Integer> kept = new TreeMap<>();
        lastKept.forEach(k -> kept.merge(k.reason().label(), 1, Integer::sum));
        return moves.status().put("enabled", enabled()).put("keptByReason", new JsonObject(Map.copyOf(kept)));
    }
}
