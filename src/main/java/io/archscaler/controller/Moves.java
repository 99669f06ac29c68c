package io.archscaler.controller;

import io.archscaler.cloud.ProviderException;
import io.archscaler.events.Decision;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.restore.MoveHistory;
import io.archscaler.scaler.restore.MoveSteps;
import io.archscaler.scaler.restore.Replacement;
import io.archscaler.scaler.restore.RestoreReason;
import io.archscaler.scaler.restore.SettlingMoves;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Carries out the moves toward arm64 the restore planner chose, each through its steps: cordon
 * and mark the amd64 node, ask for the arm64 capacity through the {@link Actuator} as a scale-up
 * is asked for, wait until it is Ready, then drain the node through the {@link NodeDrainer},
 * delete its instance and lower its group's target; or, when the capacity will not come, undo
 * (uncordon, evict nothing). Which step comes next is {@link MoveSteps}'. Keeps the moves in
 * progress and the recent ones (the planner's {@link MoveHistory}); remembers nothing across a
 * restart. Lives on the scaler verticle's context.
 */
final class Moves {
    private static final Logger LOG = LoggerFactory.getLogger(Moves.class);
    private static final int LAST_SHOWN = 10;

    private enum Step { ASKING, WAITING, DRAINING }

    /** One move under way. */
    private static final class Move {
        final Replacement r;
        final Instant started;
        final Set<String> groups = new TreeSet<>();
        Step step = Step.ASKING;
        /** For each workload the drain evicts from, its pods bound anywhere just before it. */
        Map<String, Integer> boundBefore = Map.of();
        boolean capacityFailed;
        String failure;

        Move(Replacement r, Instant started) {
            this.r = r;
            this.started = started;
            r.capacity().scaleUps().forEach(up -> groups.add(up.nodeGroup()));
        }
    }

    private final ScalingParts parts;
    private final ProvisioningWatch provisioning;
    private final DecisionRecorder decisions;
    private final NodeDrainer drainer;
    private final NodeRemovals removals;
    private final Actuator actuator;
    private final Clock clock;
    private final Map<String, Move> inProgress = new LinkedHashMap<>();
    private final List<MoveHistory.Move> recent = new ArrayList<>();
    private final Deque<JsonObject> last = new ArrayDeque<>();
    private final SettlingMoves settling = new SettlingMoves();
    private double savedPerHour;

    Moves(ScalingParts parts, Context context, ProvisioningWatch provisioning, DecisionRecorder decisions,
          NodeDrainer drainer) {
        this.parts = parts;
        this.provisioning = provisioning;
        this.decisions = decisions;
        this.drainer = drainer;
        this.removals = new NodeRemovals(parts, context);
        this.actuator = new Actuator(parts.groups(), context);
        this.clock = parts.clock();
    }

    /** The moves in progress and those started within {@code interval}, for the planner. */
    MoveHistory history(Duration interval) {
        Instant since = clock.instant().minus(interval);
        recent.removeIf(m -> m.started().isBefore(since) && !inProgress.containsKey(m.node()));
        return new MoveHistory(inProgress.keySet(), recent);
    }

    /**
     * Whether a draining or finished move's evicted pods are not all bound again yet: their room is
     * still theirs, and a scan now would count it as free.
     */
    boolean settling(Instant now) {
        return settling.holds(boundPods(settling.workloads()), now);
    }

    /** Pods bound now of each of these workloads ({@code namespace/Kind/name}). */
    private Map<String, Integer> boundPods(Set<String> workloads) {
        Map<String, Integer> bound = new HashMap<>();
        if (workloads.isEmpty()) {
            return bound;
        }
        for (List<Pod> pods : parts.state().podsByNode().values()) {
            for (Pod p : pods) {
                String key = workloadKey(p);
                if (key != null && workloads.contains(key)) {
                    bound.merge(key, 1, Integer::sum);
                }
            }
        }
        return bound;
    }

    private static String workloadKey(Pod pod) {
        String owner = KubePods.ownerKey(pod);
        return owner == null ? null : pod.getMetadata().getNamespace() + "/" + owner;
    }

    /** Nodes on their way per group, by the one definition the planners share. */
    Map<String, Integer> inFlight(Map<String, Integer> ready) {
        return provisioning.inFlight(ready);
    }

    boolean owns(String node) {
        return inProgress.containsKey(node);
    }

    /** Whether a move is draining the node now: its drain taint is this move's, and scale-down's recovery leaves it. */
    boolean draining(String node) {
        Move m = inProgress.get(node);
        return m != null && m.step == Step.DRAINING;
    }

    /** Starts a move: cordon and mark the node, ask for its arm64 capacity. Completes once the cloud answered. */
    Future<Void> start(Replacement r) {
        Move m = new Move(r, clock.instant());
        inProgress.put(r.node(), m);
        recent.add(new MoveHistory.Move(r.node(), m.started, false));
        LOG.info("{} {}: moving its pods to arm64 ({}), saving {}/h", r.reason(), r.node(), targets(r),
                money(r.savingPerHour()));
        return removals.toFuture(drainer.cordonForMove(r.node(), r.reason().label()))
                .compose(v -> {
                    drainer.nodeEvent(r.node(), "Normal", title(r.reason()), "moving the node's pods to arm64 ("
                            + targets(r) + "); saving " + money(r.savingPerHour()) + "/h");
                    ScalePlan plan = new ScalePlan(r.capacity().scaleUps(), List.of(), List.of(), List.of());
                    return actuator.apply(plan, new Outcomes(m));
                })
                .onFailure(e -> {
                    // the cordon failed: nothing was asked for, nothing to undo but the record
                    m.capacityFailed = true;
                    m.failure = "could not cordon the node: " + e.getMessage();
                })
                .otherwiseEmpty()
                .onComplete(ar -> m.step = Step.WAITING);
    }

    /** Nodes of {@code group} on their way were given up on: the moves waiting for them are to be undone. */
    void capacityFailed(String group) {
        for (Move m : inProgress.values()) {
            if (m.step != Step.DRAINING && m.groups.contains(group)) {
                m.capacityFailed = true;
                m.failure = "the arm64 nodes of " + group + " will not come";
            }
        }
    }

    /**
     * When a waiting move next has a step to take: {@code now} when its capacity is Ready or failed,
     * else its deadline. The caller's {@code now}, not a fresh reading of the clock: a step due is
     * then due at the instant the schedule compares it with, never a moment after it.
     */
    Optional<Instant> nextStep(Map<String, Integer> ready, Instant now) {
        Instant next = null;
        for (Move m : inProgress.values()) {
            if (m.step != Step.WAITING) {
                continue;
            }
            Instant at = next(m, ready, now) != MoveSteps.Next.WAIT ? now : deadline(m);
            next = next == null || at.isBefore(next) ? at : next;
        }
        return Optional.ofNullable(next);
    }

    /** Takes the next step of every waiting move that has one; {@code leader} false drains nothing. */
    void advance(Map<String, Integer> ready, boolean leader) {
        Instant now = clock.instant();
        for (Move m : new ArrayList<>(inProgress.values())) {
            if (m.step != Step.WAITING) {
                continue;
            }
            switch (next(m, ready, now)) {
                case WAIT -> { }
                case DRAIN -> {
                    if (leader) {
                        drain(m);
                    }
                }
                case UNDO -> undo(m, m.failure != null ? m.failure
                        : "the arm64 nodes did not become Ready within " + parts.settings().maxNodeProvisionTime());
            }
        }
    }

    /**
     * Leadership was lost: the moves not yet draining are dropped, their nodes left cordoned and
     * marked for the next leader to undo.
     */
    void abandon() {
        inProgress.values().removeIf(m -> m.step != Step.DRAINING);
    }

    private MoveSteps.Next next(Move m, Map<String, Integer> ready, Instant now) {
        Map<String, Integer> inFlight = provisioning.inFlight(ready);
        int waiting = m.groups.stream().mapToInt(g -> inFlight.getOrDefault(g, 0)).sum();
        return MoveSteps.next(m.capacityFailed, waiting, !now.isBefore(deadline(m)));
    }

    private Instant deadline(Move m) {
        return m.started.plus(parts.settings().maxNodeProvisionTime());
    }

    private void drain(Move m) {
        m.step = Step.DRAINING;
        Replacement r = m.r;
        NodeGroup g = parts.groups().get(r.nodeGroup());
        String providerId = NodeRemovals.providerId(parts.state().nodes().get(r.node()));
        Instant started = clock.instant();
        LOG.info("{} {}: arm64 capacity Ready; draining the node", r.reason(), r.node());
        NodeDrainer.PodNotice notice = new NodeDrainer.PodNotice(title(r.reason()),
                "evicting pod to move it to arm64 (" + targets(r) + ")");
        List<Pod> evicted = removals.podsToEvict(r.node());
        Set<String> workloads = new TreeSet<>();
        evicted.forEach(p -> Optional.ofNullable(workloadKey(p)).ifPresent(workloads::add));
        m.boundBefore = boundPods(workloads);
        // from the first eviction until the replacements are bound, their arm64 room must not look free to a scan
        settling.draining(new SettlingMoves.Settling(r.node(), m.boundBefore, started));
        removals.toFuture(drainer.cordonAndTaint(r.node()))
                .compose(v -> removals.toFuture(drainer.evictAndWait(r.node(), evicted, notice)))
                .compose(v -> {
                    parts.metrics().drainDuration(g.name(), g.arch().label(), Duration.between(started, clock.instant()));
                    return removals.deleteInstance(g, r.node(), providerId);
                })
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        moved(m, g);
                    } else {
                        drainFailed(m, g, ar.cause());
                    }
                });
    }

    private void moved(Move m, NodeGroup g) {
        Replacement r = m.r;
        NodeRemovals.Sizes sizes = removals.lowerTarget(g);
        savedPerHour += r.savingPerHour();
        parts.metrics().restore(r.reason().label(), "moved");
        parts.metrics().restoreSavingPerHour(savedPerHour);
        String what = "node removed, its pods moved to arm64 (" + targets(r) + "); saving " + money(r.savingPerHour())
                + "/h";
        drainer.nodeEvent(r.node(), "Normal", title(r.reason()), what);
        decisions.record(Decision.of(Decision.SCALE_DOWN, clock.instant(), g.name(), g.arch().label())
                .withSizes(sizes.from(), sizes.to()).withNode(r.node()).withWhy(why(r.reason(), what)).succeeded());
        settling.finished(new SettlingMoves.Settling(r.node(), m.boundBefore, clock.instant()));
        ended(m, "moved", null);
    }

    private void drainFailed(Move m, NodeGroup g, Throwable cause) {
        Throwable why = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        LOG.warn("{} {}: drain failed ({}); putting the node back in service", m.r.reason(), m.r.node(), why.getMessage());
        uncordon(m.r.node());
        settling.finished(new SettlingMoves.Settling(m.r.node(), m.boundBefore, clock.instant()));
        parts.metrics().restore(m.r.reason().label(), "failed");
        drainer.nodeEvent(m.r.node(), "Warning", title(m.r.reason()) + "Failed",
                "failed to move the node's pods to arm64: " + why.getMessage());
        int size = parts.groups().get(g.name()).targetSize();
        decisions.record(Decision.of(Decision.SCALE_DOWN, clock.instant(), g.name(), g.arch().label())
                .withSizes(size, size).withNode(m.r.node()).withWhy(why(m.r.reason(), "drain failed; node uncordoned"))
                .failed(why.getMessage()));
        ended(m, "failed", why.getMessage());
    }

    /** The capacity will not come: the node goes back in service and nothing is evicted. */
    private void undo(Move m, String cause) {
        Replacement r = m.r;
        LOG.warn("{} {}: undone, {}; node uncordoned, nothing evicted", r.reason(), r.node(), cause);
        uncordon(r.node());
        parts.metrics().restore(r.reason().label(), "undone");
        drainer.nodeEvent(r.node(), "Warning", title(r.reason()) + "Cancelled",
                "move to arm64 undone: " + cause + "; node uncordoned, nothing evicted");
        NodeGroup g = parts.groups().get(r.nodeGroup());
        int size = g.targetSize();
        decisions.record(Decision.of(Decision.SCALE_DOWN, clock.instant(), g.name(), g.arch().label())
                .withSizes(size, size).withNode(r.node()).withWhy(why(r.reason(), "move undone, nothing evicted"))
                .failed(cause));
        ended(m, "undone", cause);
    }

    /** A node a controller that stopped left cordoned for a move: back in service, nothing evicted. */
    void undoLeft(String node) {
        uncordon(node);
        drainer.nodeEvent(node, "Normal", "RestoreCancelled",
                "move to arm64 interrupted by a controller restart; node uncordoned, nothing evicted");
    }

    private void uncordon(String node) {
        drainer.uncordonAndUntaint(node).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("could not uncordon {}: {}", node, e.getMessage());
            }
        });
    }

    private void ended(Move m, String outcome, String error) {
        inProgress.remove(m.r.node());
        if (!"moved".equals(outcome)) {
            recent.replaceAll(x -> x.node().equals(m.r.node()) && x.started().equals(m.started)
                    ? new MoveHistory.Move(x.node(), x.started(), true) : x);
        }
        last.addFirst(describe(m).put("outcome", outcome).put("ended", clock.instant().toString()).put("error", error));
        while (last.size() > LAST_SHOWN) {
            last.removeLast();
        }
    }

    /** The {@code /status} lines: moves in progress, the last moves, and what the moves completed save. */
    JsonObject status() {
        JsonArray now = new JsonArray();
        inProgress.values().forEach(m -> now.add(describe(m).put("step", m.step.name().toLowerCase(Locale.ROOT))));
        return new JsonObject().put("inProgress", now).put("last", new JsonArray(new ArrayList<>(last)))
                .put("settling", new JsonArray(settling.nodes())).put("savingPerHour", savedPerHour);
    }

    private static JsonObject describe(Move m) {
        return new JsonObject().put("node", m.r.node()).put("nodeGroup", m.r.nodeGroup())
                .put("reason", m.r.reason().label()).put("started", m.started.toString())
                .put("targets", targets(m.r)).put("savingPerHour", m.r.savingPerHour());
    }

    /** What the move grows, as {@code arm 1->2, …}, or the free room it uses. */
    static String targets(Replacement r) {
        if (r.capacity().scaleUps().isEmpty()) {
            return "free room on arm64 nodes";
        }
        return r.capacity().scaleUps().stream().map(up -> up.nodeGroup() + " " + up.from() + "->" + up.to())
                .collect(Collectors.joining(", "));
    }

    private static String title(RestoreReason reason) {
        return reason == RestoreReason.RESTORE ? "Restore" : "Replace";
    }

    private static Decision.Why why(RestoreReason reason, String detail) {
        return reason == RestoreReason.RESTORE ? Decision.Why.restore(detail) : Decision.Why.replace(detail);
    }

    private static String money(double perHour) {
        return String.format(Locale.ROOT, "$%.4f", perHour);
    }

    /** A move's scale-ups answered: on the same path as the scale-up loop's, and a refusal fails the move. */
    private final class Outcomes implements Actuator.Outcomes {
        private final Move move;

        Outcomes(Move move) {
            this.move = move;
        }

        @Override
        public void scaledUp(ScaleUp up) {
            NodeGroup g = parts.groups().get(up.nodeGroup());
            parts.groups().setTarget(up.nodeGroup(), g.targetSize() + up.delta());
            provisioning.requested(up.nodeGroup(), up.delta());
            parts.backoff().succeeded(up.nodeGroup());
            decisions.scaledUpForMove(up, why(move.r.reason(), "pods of " + move.r.node() + " to arm64"));
        }

        @Override
        public void scaleUpFailed(ScaleUp up, ProviderException error) {
            parts.backoff().failed(up.nodeGroup(), error.reason());
            parts.offeringsFailed(up.nodeGroup(), error);
            decisions.scaleUpFailedForMove(up, error, why(move.r.reason(), "pods of " + move.r.node() + " to arm64"));
            move.capacityFailed = true;
            move.failure = "the scale-up of " + up.nodeGroup() + " failed: " + error.getMessage();
        }
    }
}
