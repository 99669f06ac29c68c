package io.archscaler.cloud.resilience;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.scaler.model.NodeGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Wraps any {@link NodeGroupProvider} and tells a {@link ProviderCallObserver} about every call:
 * provider, operation, node group, outcome and duration, so metering lives in one place rather
 * than in each provider. An observer that throws is logged and never fails the call.
 */
public final class MeteredNodeGroupProvider implements NodeGroupProvider {
    private static final Logger LOG = LoggerFactory.getLogger(MeteredNodeGroupProvider.class);

    private final NodeGroupProvider delegate;
    private final ProviderCallObserver observer;
    private final LongSupplier nanoTime;

    public MeteredNodeGroupProvider(NodeGroupProvider delegate, ProviderCallObserver observer) {
        this(delegate, observer, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock durations are measured with ({@code System::nanoTime}) */
    public MeteredNodeGroupProvider(NodeGroupProvider delegate, ProviderCallObserver observer, LongSupplier nanoTime) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return observed("nodeGroups", "", delegate::nodeGroups);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return observed("increaseSize", nodeGroup, () -> delegate.increaseSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return observed("deleteNodes", nodeGroup, () -> delegate.deleteNodes(nodeGroup, nodes));
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return observed("decreaseTargetSize", nodeGroup, () -> delegate.decreaseTargetSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return observed("instances", nodeGroup, () -> delegate.instances(nodeGroup));
    }

    @Override
    public void scaleUpFailed(String nodeGroup, ProviderException error) {
        delegate.scaleUpFailed(nodeGroup, error);
    }

    private <T> CompletionStage<T> observed(String operation, String nodeGroup, Supplier<CompletionStage<T>> call) {
        long start = nanoTime.getAsLong();
        CompletableFuture<T> result = new CompletableFuture<>();
        Stages.call(call).whenComplete((value, failure) -> {
            Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
            Throwable cause = failure == null ? null : Stages.unwrap(failure);
            notify(operation, nodeGroup == null ? "" : nodeGroup, outcome(cause), took);
            if (cause == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private void notify(String operation, String nodeGroup, String outcome, Duration took) {
        try {
            observer.onCall(delegate.id(), operation, nodeGroup, outcome, took);
        } catch (RuntimeException e) {
            LOG.warn("provider call observer failed on {} {} {}", delegate.id(), operation, nodeGroup, e);
        }
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return ProviderCallObserver.SUCCESS;
        }
        return failure instanceof ProviderException p ? p.reason() : failure.getClass().getSimpleName();
    }
}
