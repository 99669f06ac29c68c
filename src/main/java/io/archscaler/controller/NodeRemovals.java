package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.NotImplementedException;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.scaledown.DrainRules;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The steps scale-down and moves to arm64 share to take a node away: which pods a drain evicts,
 * deleting the node's instance through its group's provider, and lowering the group's target
 * afterwards. Lives on the scaler verticle's context.
 */
final class NodeRemovals {
    /** A group's target before and after a removal. */
    record Sizes(int from, int to) {
    }

    private final ClusterState state;
    private final NodeGroups groups;
    private final Context context;

    NodeRemovals(ScalingParts parts, Context context) {
        this.state = parts.state();
        this.groups = parts.groups();
        this.context = context;
    }

    /** The pods a drain of the node evicts, by {@link DrainRules#evicts}. */
    List<Pod> podsToEvict(String node) {
        return state.podsByNode().getOrDefault(node, List.of()).stream()
                .filter(p -> DrainRules.evicts(KubePods.ownedByDaemonSet(p), p.getMetadata().getAnnotations()))
                .toList();
    }

    /** Deletes the node's instance through its group's provider. */
    Future<Void> deleteInstance(NodeGroup g, String node, String providerId) {
        return toFuture(groups.provider(g.name()).deleteNodes(g.name(), List.of(new NodeRef(node, providerId))));
    }

    /** The group lost one node: its target goes one down, never under minSize. */
    Sizes lowerTarget(NodeGroup g) {
        NodeGroup now = groups.get(g.name());
        int from = now.targetSize();
        int to = Math.max(now.minSize(), from - 1);
        groups.setTarget(g.name(), to);
        return new Sizes(from, to);
    }

    /**
     * The group's instance is gone already (the cloud took it): asks the provider to lower the
     * target by one, which it does only while it still counts the instance (its target above the
     * instances that exist, as an ASG's desired capacity is before it launches its own
     * replacement), and reads the target back. A provider that cannot lower a target (ec2, whose
     * size is its instances) leaves it as it is.
     */
    Future<Sizes> lowerTargetIfCounted(NodeGroup g) {
        NodeGroupProvider p = groups.provider(g.name());
        int from = groups.get(g.name()).targetSize();
        return toFuture(p.decreaseTargetSize(g.name(), 1))
                .recover(e -> e instanceof NotImplementedException || e.getCause() instanceof NotImplementedException
                        ? Future.succeededFuture() : Future.failedFuture(e))
                .compose(v -> {
                    Map<String, Long> marks = groups.changeMarks();
                    return toFuture(p.nodeGroups()).map(reported -> {
                        groups.refreshed(reported, marks);
                        return new Sizes(from, groups.get(g.name()).targetSize());
                    });
                });
    }

    static boolean hasDrainTaint(Node n) {
        return n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(NodeDrainer::isOurs);
    }

    static String providerId(Node n) {
        return n == null || n.getSpec() == null ? null : n.getSpec().getProviderID();
    }

    <T> Future<T> toFuture(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, context);
    }
}
