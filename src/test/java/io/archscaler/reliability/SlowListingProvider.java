package io.archscaler.reliability;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.NodeGroup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider whose group listing takes as long as a real cloud's (DescribeNodegroup per group,
 * with retries): the sizes are read when the call is made and handed back after {@code latency}.
 * Everything else goes straight through.
 */
final class SlowListingProvider implements NodeGroupProvider {
    private final NodeGroupProvider delegate;
    private final ScheduledExecutorService scheduler;
    private final Duration latency;
    private final AtomicInteger listings = new AtomicInteger();

    SlowListingProvider(NodeGroupProvider delegate, ScheduledExecutorService scheduler, Duration latency) {
        this.delegate = delegate;
        this.scheduler = scheduler;
        this.latency = latency;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        listings.incrementAndGet();
        CompletableFuture<List<NodeGroup>> answer = new CompletableFuture<>();
        delegate.nodeGroups().whenComplete((groups, failure) -> scheduler.schedule(() -> {
            if (failure == null) {
                answer.complete(groups);
            } else {
                answer.completeExceptionally(failure);
            }
        }, latency.toMillis(), TimeUnit.MILLISECONDS));
        return answer;
    }

    /** How many times the groups were listed. */
    int listings() {
        return listings.get();
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return delegate.increaseSize(nodeGroup, delta);
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return delegate.deleteNodes(nodeGroup, nodes);
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return delegate.decreaseTargetSize(nodeGroup, delta);
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return delegate.instances(nodeGroup);
    }
}
