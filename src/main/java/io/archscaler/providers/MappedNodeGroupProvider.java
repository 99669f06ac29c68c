package io.archscaler.providers;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.NodeGroup;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A provider seen through a {@link GroupMapping}: it reports Archscaler's groups (configured names,
 * configured values laid over) and takes calls by Archscaler's names, passing the provider's own
 * names on. It sits innermost, so metering and circuits see Archscaler's names.
 */
final class MappedNodeGroupProvider implements NodeGroupProvider {
    private final NodeGroupProvider delegate;
    private final GroupMapping mapping;

    MappedNodeGroupProvider(NodeGroupProvider delegate, GroupMapping mapping) {
        this.delegate = delegate;
        this.mapping = mapping;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return delegate.nodeGroups().thenApply(mapping::toArchscaler);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return mapped("increaseSize", nodeGroup, () -> delegate.increaseSize(mapping.providerName(nodeGroup), delta));
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return mapped("deleteNodes", nodeGroup, () -> delegate.deleteNodes(mapping.providerName(nodeGroup), nodes));
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return mapped("decreaseTargetSize", nodeGroup,
                () -> delegate.decreaseTargetSize(mapping.providerName(nodeGroup), delta));
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return mapped("instances", nodeGroup, () -> delegate.instances(mapping.providerName(nodeGroup)));
    }

    private <T> CompletionStage<T> mapped(String operation, String nodeGroup, Supplier<CompletionStage<T>> call) {
        if (!mapping.accepts(nodeGroup)) {
            return CompletableFuture.failedFuture(new NodeGroupNotFoundException(delegate.id(), operation, nodeGroup));
        }
        return call.get();
    }
}
