package io.archscaler.controller;

import io.archscaler.cloud.FailedLaunches;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NotImplementedException;
import io.archscaler.cloud.ProviderException;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.state.GroupBackoff;
import io.archscaler.scaler.state.InstanceChecks;
import io.archscaler.scaler.state.ProvisionTracker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches the nodes on their way. While a group has nodes in flight, its provider's
 * {@code instances()} is asked every {@code failureCheckInterval} (when, by {@link InstanceChecks});
 * instances the cloud says will not come, and nodes that do not register within
 * maxNodeProvisionTime, are given up on the same path as a refused scale-up: the group backs off,
 * the failure is counted (metric, circuit, decision), the group's target is corrected in the cloud
 * (the answer awaited and logged, the sizes read back), and the pods are planned again at once.
 * Lives on the scaler verticle's context, which runs {@link #act} when {@link #nextDue} says; the
 * rules are {@link ProvisionTracker}'s, {@link InstanceChecks}' and {@link GroupBackoff}'s.
 */
final class ProvisioningWatch {
    /** What the watch needs from the scaling loop it is part of. */
    interface Loop {
        void record(Decision decision);

        /** Plans the pending pods again as soon as possible. */
        void replan();

        /** Reads the sizes of the provider's groups again. */
        Future<Void> refresh(NodeGroupProvider provider);

        /** Something of the watch falls due at {@code at}: the loop wakes by then. */
        void wakeBy(Instant at);

        /** Nodes of the group on their way were given up on: moves waiting for them are undone. */
        void gaveUp(String group);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningWatch.class);

    private final ScalingParts parts;
    private final ScalerSettings settings;
    private final NodeGroups groups;
    private final GroupBackoff backoff;
    private final ArchscalerMetrics metrics;
    private final Clock clock;
    private final Context context;
    private final Loop loop;
    private final ProvisionTracker tracker;
    private final InstanceChecks checks;
    private Map<String, Integer> lastReady = Map.of();

    ProvisioningWatch(ScalingParts parts, Context context, Loop loop) {
        this.parts = parts;
        this.settings = parts.settings();
        this.groups = parts.groups();
        this.backoff = parts.backoff();
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.context = context;
        this.loop = loop;
        this.tracker = new ProvisionTracker(clock, settings.maxNodeProvisionTime());
        this.checks = new InstanceChecks(settings.failureCheckInterval());
    }

    /** Nodes in flight per group (only groups that have some): the one definition, see {@link ProvisionTracker}. */
    Map<String, Integer> inFlight(Map<String, Integer> readyNodes) {
        return tracker.inFlight(groups.all(), readyNodes);
    }

    /** A scale-up the cloud accepted: its nodes' clock starts, and its group is checked from the next interval. */
    void requested(String group, int nodes) {
        tracker.requested(group, nodes);
        checks.scaledUp(group, clock.instant());
        nextDue(lastReady).ifPresent(loop::wakeBy);
    }

    /**
     * Brings the record in line with the sizes and Ready nodes. Followers do it too: they keep the
     * nodes' ages for when they lead.
     */
    void reconcile(Map<String, Integer> readyNodes) {
        lastReady = readyNodes;
        for (NodeGroup g : groups.all()) {
            tracker.reconcile(g.name(), g.targetSize(), readyNodes.getOrDefault(g.name(), 0));
        }
    }

    /**
     * When the leader next has something to do here: nodes reach maxNodeProvisionTime, or a group
     * with nodes in flight is to be checked; empty when nothing will fall due.
     */
    Optional<Instant> nextDue(Map<String, Integer> readyNodes) {
        Optional<Instant> expiry = tracker.nextExpiry();
        Optional<Instant> check = checks.next(inFlight(readyNodes).keySet());
        if (expiry.isEmpty() || check.isEmpty()) {
            return expiry.isPresent() ? expiry : check;
        }
        return Optional.of(expiry.get().isBefore(check.get()) ? expiry.get() : check.get());
    }

    /**
     * The leader's part, when {@link #nextDue} has come: gives up on nodes past
     * maxNodeProvisionTime, and asks the providers of groups with nodes in flight whether some
     * will not come.
     */
    void act(Map<String, Integer> readyNodes) {
        reconcile(readyNodes);
        for (ProvisionTracker.Expired e : tracker.expire()) {
            LOG.warn("{} node(s) of {} did not register within {}; giving up on them", e.nodes(), e.group(),
                    settings.maxNodeProvisionTime());
            InstanceError timeout = new InstanceError(InstanceError.Kind.TIMEOUT, "NodeProvisionTimeout", e.nodes()
                    + " node(s) did not register within " + settings.maxNodeProvisionTime());
            failed(e.group(), e.nodes(), timeout.toException(groups.provider(e.group()).id(), e.group()),
                    "node provision timeout");
        }
        for (String group : checks.start(clock.instant(), inFlight(readyNodes).keySet())) {
            check(group);
        }
    }

    private void check(String group) {
        NodeGroupProvider provider = groups.provider(group);
        Future.fromCompletionStage(provider.instances(group), context).onComplete(ar -> {
            if (ar.failed() && Actuator.asProviderException(provider.id(), ar.cause()) instanceof NotImplementedException) {
                LOG.info("{} provider cannot list instances: failures of {} show only after {}", provider.id(),
                        group, settings.maxNodeProvisionTime());
                checks.cannotList(group);
                return;
            }
            checks.finished(group);
            // a slow answer may find the group's next check due already
            nextDue(lastReady).ifPresent(loop::wakeBy);
            if (ar.failed()) {
                LOG.debug("listing the instances of {} failed: {}", group, ar.cause().getMessage());
                return;
            }
            onInstances(group, provider, ar.result());
        });
    }

    private void onInstances(String group, NodeGroupProvider provider, List<Instance> instances) {
        FailedLaunches.in(instances).ifPresent(f -> {
            NodeGroup g = groups.get(group);
            // only nodes still counted as on their way are given up (a failure seen twice counts once)
            int nodes = Math.min(f.count(), tracker.inFlight(group, g.targetSize(), lastReady.getOrDefault(group, 0)));
            if (nodes <= 0) {
                return;
            }
            ProviderException error = f.error().toException(provider.id(), group);
            tracker.giveUp(group, nodes);
            LOG.warn("{} of {}'s nodes on their way will not come ({}); backing off and planning their pods elsewhere",
                    nodes, group, error.getMessage());
            failed(group, nodes, error, "failed after it was accepted");
        });
    }

    /**
     * The same path as a refused scale-up, for nodes already given up on: backoff, metric,
     * circuit, decision, the target corrected in the cloud, and a new plan at once.
     */
    private void failed(String group, int nodes, ProviderException error, String what) {
        NodeGroup g = groups.get(group);
        loop.gaveUp(group);
        GroupBackoff.Entry b = backoff.failed(group, error.reason());
        parts.offeringsFailed(group, error);
        metrics.failedScaleUp(group, g.arch().label(), g.capacityType().label(), error.reason());
        groups.provider(group).scaleUpFailed(group, error);
        loop.record(Decision.of(Decision.SCALE_UP, clock.instant(), group, g.arch().label())
                .withSizes(g.targetSize(), g.targetSize() - nodes)
                .withWhy(Decision.Why.of(what + "; backing off until " + b.until()))
                .failed(error.reason() + ": " + error.getMessage()));
        correctTarget(group, nodes);
        loop.replan();
    }

    /** Lowers the group's target in the cloud by the nodes that will not come, and reads the sizes back. */
    private void correctTarget(String group, int nodes) {
        NodeGroupProvider provider = groups.provider(group);
        int before = groups.get(group).targetSize();
        Future.fromCompletionStage(provider.decreaseTargetSize(group, nodes), context).onComplete(ar -> {
            if (ar.succeeded()) {
                // the provider may lower it by less (minSize, instances that exist): the size read back says
                loop.refresh(provider).onComplete(r -> {
                    int lowered = Math.max(0, before - groups.get(group).targetSize());
                    tracker.corrected(group, lowered);
                    LOG.info("{}: target lowered by {} for {} node(s) that will not come", group, lowered, nodes);
                });
                return;
            }
            ProviderException e = Actuator.asProviderException(provider.id(), ar.cause());
            // the nodes stay given up (they hold no room); a target left high only keeps the cloud trying
            LOG.warn("{}: the target could not be lowered by {} ({}); its nodes stay given up", group, nodes,
                    e.getMessage());
            NodeGroup g = groups.get(group);
            loop.record(Decision.of(Decision.SCALE_UP, clock.instant(), group, g.arch().label())
                    .withSizes(g.targetSize(), g.targetSize())
                    .withWhy(Decision.Why.of("target correction: " + nodes + " node(s) that will not come"))
                    .failed(e.reason() + ": " + e.getMessage()));
        });
    }
}
