package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.ProviderIds;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The instances of node groups that live in Auto Scaling groups (EKS managed node groups and
 * self-managed groups alike): listing them with a placeholder for each wanted one not launched,
 * removing chosen ones with the group's desired capacity lowered by as many, and how low a
 * desired capacity may go.
 */
public final class AsgInstances {
    public static final String TERMINATE = "TerminateInstanceInAutoScalingGroup";

    private AsgInstances() {
    }

    /** The groups' launched instances, each in the state its lifecycle state says. */
    public static List<Instance> of(Collection<AutoScalingGroup> groups) {
        return groups.stream()
                .flatMap(g -> g.instances().stream())
                .map(i -> new Instance(i.instanceId(), ProviderIds.of(i.availabilityZone(), i.instanceId()),
                        state(i.lifecycleStateAsString())))
                .toList();
    }

    /** Instances that exist and are not on their way out: a desired capacity never goes below them. */
    public static int live(List<Instance> instances) {
        return (int) instances.stream().filter(i -> i.state() != InstanceState.DELETING).count();
    }

    /**
     * {@code launched} and a placeholder for each instance the desired capacity wants and no
     * launched one stands for yet; {@code error}, when given, is why the placeholders will not come.
     */
    public static List<Instance> withPlaceholders(String group, List<Instance> launched, int desired,
                                                  InstanceError error) {
        List<Instance> out = new ArrayList<>(launched);
        for (int i = live(launched); i < desired; i++) {
            out.add(new Instance("i-placeholder-" + group + "-" + i, "", InstanceState.CREATING, error));
        }
        return List.copyOf(out);
    }

    /** The desired capacity {@code delta} fewer wanted instances leave: never below the live ones nor minSize. */
    public static int lowered(int desired, int delta, int live, int minSize) {
        return Math.min(desired, Math.max(desired - delta, Math.max(live, minSize)));
    }

    private static InstanceState state(String lifecycle) {
        String s = lifecycle == null ? "" : lifecycle;
        if (s.startsWith("Pending")) {
            return InstanceState.CREATING;
        }
        if (s.startsWith("Terminat") || s.startsWith("Detach")) {
            return InstanceState.DELETING;
        }
        return InstanceState.RUNNING;
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
