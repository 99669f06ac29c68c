package io.archscaler.cloud;

import io.archscaler.scaler.model.NodeGroup;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The contract between Archscaler and a scaling API (EKS, Auto Scaling, EC2 fleets, Cluster API,
 * the simulated sandbox). Calls are asynchronous and fail with {@link ProviderException}s:
 * {@link InsufficientCapacityException} when the cloud has no capacity, {@link CloudApiException}
 * for an API error (throttling and 5xx are marked retryable), {@link OutcomeUnknownException} when
 * no answer came. Resilience and metering wrap providers from outside; implementations keep no
 * retry policy of their own.
 *
 * <p>A scale-up the cloud accepts may still fail afterwards (an Auto Scaling group's failed scaling
 * activity, a Machine that fails): {@link #instances} reports those instances as
 * {@link InstanceState#CREATING} with an {@link InstanceError}, which the controller turns into
 * the same typed failure as a refused call.
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
     * were asked for and will not come (they failed, or did not register within
     * maxNodeProvisionTime). Never goes below the instances that exist nor below minSize, so it may
     * lower the target by less. Optional.
     */
    default CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new NotImplementedException(id(), "decreaseTargetSize"));
    }

    /**
     * The instances of a group, each with its {@link InstanceState}, and a placeholder in
     * {@link InstanceState#CREATING} for each one asked for and not launched yet; an instance that
     * will not come carries its {@link InstanceError}. Called every few seconds while a group has
     * nodes on their way. Optional: the default says it is not implemented.
     */
    default CompletionStage<List<Instance>> instances(String nodeGroup) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new NotImplementedException(id(), "instances"));
    }

    /**
     * Told that a scale-up this provider accepted failed afterwards (seen through
     * {@link #instances}, or its nodes never registered), so a decorator that keeps state about
     * scale-ups (the circuit per group) counts it as it counts a refused one. Providers ignore it.
     */
    default void scaleUpFailed(String nodeGroup, ProviderException error) {
    }
}
