package io.archscaler.controller;

import io.archscaler.cloud.aws.ProviderIds;
import io.archscaler.events.InterruptionReport;
import io.archscaler.events.InterruptionReport.Handled;
import io.archscaler.scaler.interruption.InterruptionKind;
import io.archscaler.scaler.interruption.InterruptionNotice;
import io.archscaler.scaler.interruption.InterruptionOutcome;
import io.archscaler.scaler.interruption.InterruptionPolicy;
import io.archscaler.scaler.interruption.InterruptionPolicy.NodeStatus;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Carries out what the {@link InterruptionPolicy} says for each instance an interruption message
 * names: for a replacement, taint and cordon the node, plan its pods with the pending ones
 * through the {@link ScaleUpLoop} (the same rules: arch constraints, fallback) and ask for that
 * capacity at once, then drain the node through the {@link NodeDrainer} within the notice and
 * remove its instance from its group with the target one lower; for a node whose instance is
 * gone, delete the Node and lower the target if the group still counts the instance; and record
 * Events, counts and the last outcomes for {@code /status}. Remembers which nodes it replaced, so a message delivered again is a
 * duplicate; a handling that failed is forgotten, so its message, delivered again, is handled
 * again. Leader only. Lives on the scaler verticle's context.
 */
final class Interruptions {
    private static final Logger LOG = LoggerFactory.getLogger(Interruptions.class);
    private static final int LAST_SHOWN = 20;
    private static final int REMEMBERED = 1_000;
    /** The least a drain under a notice gets, however late the message came. */
    private static final Duration LEAST_DRAIN = Duration.ofSeconds(10);

    private final ScalingParts parts;
    private final InterruptionPolicy policy;
    private final NodeDrainer drainer;
    private final NodeRemovals removals;
    private final ScaleUpLoop scaleUp;
    private final BooleanSupplier leader;
    /** Nodes being replaced now. */
    private final Set<String> replacing = new HashSet<>();
    /** Nodes replaced or cleaned up, most recent last; bounded. */
    private final Set<String> done = new LinkedHashSet<>();
    /**
     * Instances that left their group through us, with their node, most recent last; bounded. The
     * Node is gone then, so a later message for the instance (a redelivery, its state change to
     * terminated) is known here as handled already.
     */
    private final Map<String, String> left = new LinkedHashMap<>();
    private final Deque<JsonObject> last = new ArrayDeque<>();

    Interruptions(ScalingParts parts, NodeRemovals removals, NodeDrainer drainer, ScaleUpLoop scaleUp,
                  InterruptionPolicy policy, BooleanSupplier leader) {
        this.parts = parts;
        this.removals = removals;
        this.drainer = drainer;
        this.scaleUp = scaleUp;
        this.policy = policy;
        this.leader = leader;
    }

    /** Whether the node is being replaced for an interruption now: scale-down and moves leave it alone. */
    boolean replacing(String node) {
        return replacing.contains(node);
    }

    /** Handles one message; the report says, instance by instance, how. Never fails. */
    Future<InterruptionReport> handle(InterruptionNotice notice) {
        if (!leader.getAsBoolean()) {
            // the reader stops with leadership; a message read just before goes back for the next leader
            List<Handled> none = notice.instanceIds().stream()
                    .map(id -> new Handled(id, "", InterruptionOutcome.FAILED, "not leading")).toList();
            return Future.succeededFuture(new InterruptionReport(notice.id(), notice.kind(),
                    none.isEmpty() ? List.of(new Handled("", "", InterruptionOutcome.FAILED, "not leading")) : none));
        }
        if (notice.kind() == InterruptionKind.MALFORMED) {
            LOG.warn("interruption message {} could not be read, deleting it: {}", notice.id(), notice.detail());
        }
        List<String> ids = notice.instanceIds().isEmpty() ? List.of("") : notice.instanceIds();
        List<Future<Handled>> each = new ArrayList<>();
        for (String id : ids) {
            each.add(one(notice, id));
        }
        return Future.join(each).map(cf -> new InterruptionReport(notice.id(), notice.kind(),
                each.stream().map(Future::result).toList()));
    }

    private Future<Handled> one(InterruptionNotice notice, String instance) {
        String found = nodeOf(instance);
        // an instance that left its group through us took its Node with it: a later message for it is handled already
        boolean gone = found == null && left.containsKey(instance);
        String node = gone ? left.get(instance) : found;
        Instant now = parts.clock().instant();
        InterruptionPolicy.Verdict v = gone
                ? new InterruptionPolicy.Verdict(InterruptionPolicy.Action.ACKNOWLEDGE, InterruptionOutcome.DUPLICATE)
                : policy.decide(notice.kind(), notice.time(), status(node), now);
        Future<InterruptionOutcome> outcome = switch (v.action()) {
            case ACKNOWLEDGE -> Future.succeededFuture(v.outcome());
            case RECORD -> {
                drainer.nodeEvent(node, "Normal", reason(notice.kind()), describe(notice) + "; recorded only"
                        + " (aws.interruptionQueue.rebalance: record)");
                yield Future.succeededFuture(v.outcome());
            }
            case CLEAN_UP -> cleanUp(node, notice, v.outcome());
            case REPLACE -> replace(node, notice);
        };
        return outcome.transform(ar -> {
            InterruptionOutcome o = ar.succeeded() ? ar.result() : InterruptionOutcome.FAILED;
            String detail = ar.succeeded() ? notice.detail() : cause(ar.cause());
            parts.metrics().interruption(notice.kind().label(), o.label());
            Handled h = new Handled(instance, node == null ? "" : node, o, detail);
            remember(notice, h);
            return Future.succeededFuture(h);
        });
    }

    private NodeStatus status(String node) {
        if (node == null) {
            return NodeStatus.NONE;
        }
        if (parts.state().nodeGroupOf(node).filter(g -> parts.groups().get(g) != null).isEmpty()) {
            return NodeStatus.UNMANAGED;
        }
        return replacing.contains(node) || done.contains(node) ? NodeStatus.BEING_REPLACED : NodeStatus.MANAGED;
    }

    /** The node whose {@code spec.providerID} ({@code aws:///zone/i-…}) names the instance; null when none does. */
    private String nodeOf(String instance) {
        if (instance.isEmpty()) {
            return null;
        }
        for (Node n : parts.state().nodes().values()) {
            if (ProviderIds.instanceId(NodeRemovals.providerId(n)).filter(instance::equals).isPresent()) {
                return n.getMetadata().getName();
            }
        }
        return null;
    }

    private Future<InterruptionOutcome> replace(String node, InterruptionNotice notice) {
        replacing.add(node);
        NodeGroup group = groupOf(node);
        String providerId = NodeRemovals.providerId(parts.state().nodes().get(node));
        Instant started = parts.clock().instant();
        List<Pod> pods = removals.podsToEvict(node);
        List<PendingPod> displaced = new ArrayList<>();
        for (Pod p : pods) {
            // a bare pod is not recreated anywhere: no capacity to plan for it
            if (p.getMetadata().getOwnerReferences() != null && !p.getMetadata().getOwnerReferences().isEmpty()) {
                try {
                    displaced.add(parts.state().asPending(p));
                } catch (IllegalArgumentException e) {
                    LOG.warn("pod {} of interrupted node {} cannot be planned: {}", p.getMetadata().getName(), node,
                            e.getMessage());
                }
            }
        }
        LOG.info("{} for node {}: tainting, cordoning, planning {} pod(s) elsewhere, draining", describe(notice), node,
                displaced.size());
        NodeDrainer.PodNotice podNotice = new NodeDrainer.PodNotice(reason(notice.kind()),
                "evicting pod: its node's instance is being taken away (" + notice.kind().label() + ")");
        return removals.toFuture(drainer.cordonAndTaintInterrupted(node, notice.kind().label()))
                .compose(v -> {
                    drainer.nodeEvent(node, "Warning", reason(notice.kind()), describe(notice)
                            + "; node tainted " + NodeDrainer.INTERRUPTED_TAINT + " and cordoned, replacing it");
                    return scaleUp.planDisplaced(displaced);
                })
                .compose(plan -> {
                    drainer.nodeEvent(node, "Normal", reason(notice.kind()), "replacement asked for: " + targets(plan));
                    return removals.toFuture(drainerFor(notice).evictAndWait(node, pods, podNotice))
                            .compose(v -> leaveGroup(group, node, providerId))
                            .map(v -> InterruptionOutcome.REPLACED)
                            .otherwise(e -> {
                                LOG.warn("drain of interrupted node {} failed: {}", node, cause(e));
                                drainer.nodeEvent(node, "Warning", reason(notice.kind()) + "DrainFailed", cause(e));
                                return InterruptionOutcome.DRAIN_FAILED;
                            });
                })
                .onComplete(ar -> {
                    replacing.remove(node);
                    if (ar.succeeded()) {
                        forget(node);
                        done.add(node);
                        parts.metrics().interruptionHandled(notice.kind().label(),
                                Duration.between(notice.time(), parts.clock().instant()));
                        LOG.info("interrupted node {} handled in {} ms: {}", node,
                                Duration.between(started, parts.clock().instant()).toMillis(), ar.result().label());
                    }
                });
    }

    /** A spot warning's drain ends with its notice; other notices give the configured grace. */
    private NodeDrainer drainerFor(InterruptionNotice notice) {
        if (notice.kind() != InterruptionKind.SPOT_INTERRUPTION) {
            return drainer;
        }
        Duration left = Duration.between(parts.clock().instant(), notice.time().plus(InterruptionPolicy.SPOT_NOTICE));
        return drainer.within(left.compareTo(LEAST_DRAIN) < 0 ? LEAST_DRAIN : left);
    }

    /** The instance is gone or going: the Node goes, as the cloud's node controller would delete it. */
    private Future<InterruptionOutcome> cleanUp(String node, InterruptionNotice notice, InterruptionOutcome outcome) {
        LOG.info("{} for node {}: the instance is gone, deleting the Node", describe(notice), node);
        drainer.nodeEvent(node, "Warning", reason(notice.kind()), describe(notice) + "; the instance is gone,"
                + " deleting the node");
        NodeGroup group = groupOf(node);
        String providerId = NodeRemovals.providerId(parts.state().nodes().get(node));
        return removals.toFuture(drainer.deleteNode(node)).compose(v -> leaveGroup(group, node, providerId)).map(v -> {
            forget(node);
            done.add(node);
            return outcome;
        });
    }

    /**
     * The node's instance leaves its group the way scale-down removes one: terminated through the
     * group's provider with the target one lower (an ASG's ShouldDecrementDesiredCapacity), so the
     * group does not launch a replacement of its own on top of the one asked for. When the provider
     * no longer has the instance (AWS took it first), the target goes down only if the provider
     * still counts it ({@link NodeRemovals#lowerTargetIfCounted}). A failure here loses no pod (the
     * node is drained): it is logged and told in an Event, and scale-down removes the extra node.
     */
    private Future<Void> leaveGroup(NodeGroup g, String node, String providerId) {
        if (g == null) {
            return Future.succeededFuture();
        }
        return removals.deleteInstance(g, node, providerId)
                .map(v -> {
                    leftGroup(node, providerId);
                    NodeRemovals.Sizes sizes = removals.lowerTarget(g);
                    LOG.info("interrupted node {}: instance removed from {}, target {} -> {}", node, g.name(),
                            sizes.from(), sizes.to());
                    drainer.nodeEvent(node, "Normal", "InterruptedNodeRemoved", "instance removed from node group "
                            + g.name() + ", its target " + sizes.from() + "->" + sizes.to());
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.info("interrupted node {}: its instance could not be removed from {} ({}); lowering the"
                            + " target only if the group still counts it", node, g.name(), cause(e));
                    return removals.lowerTargetIfCounted(g).map(sizes -> {
                        leftGroup(node, providerId);
                        drainer.nodeEvent(node, "Normal", "InterruptedNodeRemoved", "instance not removed from node"
                                + " group " + g.name() + " (" + cause(e) + "); its target, lowered only if the group"
                                + " still counts the instance: " + sizes.from() + "->" + sizes.to());
                        return (Void) null;
                    });
                })
                .otherwise(e -> {
                    LOG.warn("interrupted node {}: node group {} keeps its target ({}); scale-down removes a node it"
                            + " replaces on its own", node, g.name(), cause(e));
                    drainer.nodeEvent(node, "Warning", "InterruptedNodeNotRemoved", cause(e));
                    return null;
                });
    }

    private void leftGroup(String node, String providerId) {
        ProviderIds.instanceId(providerId).ifPresent(id -> {
            left.remove(id);
            left.put(id, node);
        });
        while (left.size() > REMEMBERED) {
            left.remove(left.keySet().iterator().next());
        }
    }

    private NodeGroup groupOf(String node) {
        return parts.state().nodeGroupOf(node).map(parts.groups()::get).orElse(null);
    }

    private void forget(String node) {
        done.remove(node);
        while (done.size() >= REMEMBERED) {
            done.remove(done.iterator().next());
        }
    }

    private void remember(InterruptionNotice notice, Handled h) {
        last.addFirst(new JsonObject().put("id", notice.id()).put("kind", notice.kind().label())
                .put("instance", h.instanceId()).put("node", h.node()).put("outcome", h.outcome().label())
                .put("sent", notice.time().toString()).put("handled", parts.clock().instant().toString())
                .put("detail", h.detail()));
        while (last.size() > LAST_SHOWN) {
            last.removeLast();
        }
    }

    /** The {@code /status} lines: nodes being replaced and the last instances handled, newest first. */
    JsonObject status() {
        return new JsonObject().put("replacing", new JsonArray(replacing.stream().sorted().toList()))
                .put("last", new JsonArray(new ArrayList<>(last)));
    }

    private static String targets(ScalePlan plan) {
        if (plan.scaleUps().isEmpty()) {
            return "room on existing or in-flight nodes";
        }
        return plan.scaleUps().stream().map(up -> up.nodeGroup() + " " + up.from() + "->" + up.to())
                .collect(Collectors.joining(", "));
    }

    private static String describe(InterruptionNotice n) {
        return n.kind().label().replace('_', ' ') + " sent " + n.time()
                + (n.detail() == null || n.detail().isEmpty() ? "" : " (" + n.detail() + ")");
    }

    /** The Event reason for a kind: SpotInterruption, RebalanceRecommendation, ScheduledChange, StateChange. */
    private static String reason(InterruptionKind kind) {
        StringBuilder out = new StringBuilder();
        for (String word : kind.label().split("_")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private static String cause(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
