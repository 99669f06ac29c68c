package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.ProviderIds;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The instances of node groups that live in Auto Scaling groups (EKS managed node groups and
 * self-managed groups alike): listing them, and removing chosen ones with the group's desired
 * capacity lowered by as many.
 */
public final class AsgInstances {
    public static final String TERMINATE = "TerminateInstanceInAutoScalingGroup";

    private AsgInstances() {
    }

    public static List<Instance> of(Collection<AutoScalingGroup> groups) {
        return groups.stream()
                .flatMap(g -> g.instances().stream())
                .map(i -> new Instance(i.instanceId(), ProviderIds.of(i.availabilityZone(), i.instanceId()),
                        i.lifecycleStateAsString()))
                .toList();
    }

    /**
     * Terminates the nodes' own instances one after the other, each lowering the desired capacity,
     * after checking that every one belongs to {@code groups} and that the group stays at or above
     * {@code minSize}. Fails before any call when a check fails.
     */
    public static CompletionStage<Void> terminate(AutoScalingApi api, String provider, String nodeGroup,
                                                  Collection<AutoScalingGroup> groups, int desired, int minSize,
                                                  List<NodeRef> nodes) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> members = new HashSet<>();
        groups.forEach(g -> g.instances().forEach(i -> members.add(i.instanceId())));
        for (NodeRef node : nodes) {
            String id = ProviderIds.instanceId(node.providerId()).orElse(null);
            if (id == null) {
                return refuse(provider, "node " + node.name() + " of node group " + nodeGroup + " has providerID \""
                        + node.providerId() + "\", which names no EC2 instance");
            }
            if (!members.contains(id)) {
                return refuse(provider, "node " + node.name() + " (" + id + ") is not an instance of node group "
                        + nodeGroup);
            }
            ids.add(id);
        }
        if (desired - ids.size() < minSize) {
            return refuse(provider, "node group " + nodeGroup + " wants " + desired + " nodes; removing "
                    + ids.size() + " would go below minSize " + minSize);
        }
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (String id : ids) {
            chain = chain.thenCompose(v -> AwsErrors.guard(provider, TERMINATE, nodeGroup,
                    api.terminateInstanceAndDecrement(id)));
        }
        return chain;
    }

    private static CompletionStage<Void> refuse(String provider, String message) {
        return CompletableFuture.failedFuture(new ProviderException(provider, TERMINATE, message, null));
    }
}
