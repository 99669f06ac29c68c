package io.archscaler.cloud;

import io.archscaler.scaler.model.NodeGroup;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The contract between Archscaler and a scaling API (EKS, Auto Scaling, EC2 fleets, Cluster API,
 * the simulated sandbox). Calls are asynchronous and fail with {@link ProviderException}s:
 * {@link InsufficientCapacityException} when the cloud has no capacity, {@link CloudApiException}
 * for an API error (throttling and 5xx are marked retryable). Resilience and metering wrap
 * providers from outside; implementations keep no retry policy of their own.
 */
public interface NodeGroupProvider {

    /** The provider's name as used in config ({@code eks}, {@code asg}, {@code ec2}, {@code clusterapi}, {@code simulated}). */
    String id();

    /** The groups this provider manages, with current target sizes and node templates. Required. */
    CompletionStage<List<NodeGroup>> nodeGroups();

    /** Asks for {@code delta} more nodes in the group; the target never goes above maxSize. Required. */
    CompletionStage<Void> increaseSize(String nodeGroup, int delta);

    /**
     * Removes these nodes' own instances and lowers the target by as many, never below minSize.
     * Required for scale-down.
     */
    CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes);

    /**
     * Lowers the target by {@code delta} without removing registered nodes, cancelling nodes that
     * were asked for and never registered (after maxNodeProvisionTime). Optional.
     */
    default CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new NotImplementedException(id(), "decreaseTargetSize"));
    }

    /**
     * The instances the provider has for a group, registered or not, so a new leader can tell
     * in-flight capacity from registered nodes. Optional: the default says it is not implemented.
     */
    default CompletionStage<List<Instance>> instances(String nodeGroup) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new NotImplementedException(id(), "instances"));
    }
}
