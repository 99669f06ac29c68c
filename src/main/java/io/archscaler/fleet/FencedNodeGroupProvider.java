package io.archscaler.fleet;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.scaler.model.NodeGroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet cluster's provider behind its {@link ScaleUpFence}: a scale-up is made only after its
 * intent was committed under this replica's generation, and a scale-down only while the replica
 * owns the cluster. It counts the calls under way, so a revoked cluster is handed over only once
 * they have answered.
 */
public final class FencedNodeGroupProvider implements NodeGroupProvider {
    private final NodeGroupProvider delegate;
    private final String cluster;
    private final ScaleUpFence fence;
    private final AtomicInteger inFlight;
    /** The target size each group last reported, for the intent's target. */
    private final Map<String, Integer> targets = new ConcurrentHashMap<>();

    /** @param inFlight shared by the cluster's providers: its calls under way */
    public FencedNodeGroupProvider(NodeGroupProvider delegate, String cluster, ScaleUpFence fence, AtomicInteger inFlight) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.fence = fence;
        this.inFlight = inFlight;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return delegate.nodeGroups().thenApply(groups -> {
            groups.forEach(g -> targets.put(g.name(), g.targetSize()));
            return groups;
        });
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        int target = targets.getOrDefault(nodeGroup, 0) + delta;
        inFlight.incrementAndGet();
        CompletionStage<Void> call;
        try {
            call = fence.admit(cluster, nodeGroup, delta, target)
                    .thenCompose(admitted -> delegate.increaseSize(nodeGroup, delta))
                    .thenRun(() -> targets.merge(nodeGroup, delta, Integer::sum));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.whenComplete((v, e) -> inFlight.decrementAndGet());
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return guarded("deleteNodes", () -> delegate.deleteNodes(nodeGroup, nodes));
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return guarded("decreaseTargetSize", () -> delegate.decreaseTargetSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return delegate.instances(nodeGroup);
    }

    @Override
    public void scaleUpFailed(String nodeGroup, ProviderException error) {
        delegate.scaleUpFailed(nodeGroup, error);
    }

    private CompletionStage<Void> guarded(String operation, java.util.function.Supplier<CompletionStage<Void>> call) {
        if (!fence.owns(cluster)) {
            return CompletableFuture.failedFuture(new FencedException(id(), operation,
                    "cluster " + cluster + " is not surely this replica's now; the call was not made"));
        }
        inFlight.incrementAndGet();
        try {
            return call.get().whenComplete((v, e) -> inFlight.decrementAndGet());
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
    }
}
