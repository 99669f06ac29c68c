package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.ec2.Ec2Api;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Self-managed node groups in EC2 Auto Scaling groups, found and described the way Cluster
 * Autoscaler does it: by the tags {@code k8s.io/cluster-autoscaler/enabled} and
 * {@code k8s.io/cluster-autoscaler/<cluster>}, with the node template in
 * {@code k8s.io/cluster-autoscaler/node-template/…} tags. Grows with {@code SetDesiredCapacity};
 * removes a node's own instance with {@code TerminateInstanceInAutoScalingGroup}. A scale-up the
 * group accepted and then failed to launch shows in {@link #instances} as placeholders carrying
 * the error of the failed scaling activity.
 */
public final class AsgProvider implements NodeGroupProvider {
    public static final String ID = "asg";
    public static final String ENABLED_TAG = "k8s.io/cluster-autoscaler/enabled";
    private static final Logger LOG = LoggerFactory.getLogger(AsgProvider.class);

    private final AsgConfig config;
    private final AutoScalingApi autoScaling;
    private final Ec2Api ec2;
    private final InstanceTypeLookup instanceTypes;
    private final ScalingActivities activities;

    public AsgProvider(AsgConfig config, AutoScalingApi autoScaling, Ec2Api ec2, InstanceTypeLookup instanceTypes) {
        this(config, autoScaling, ec2, instanceTypes, Clock.systemUTC());
    }

    /** @param clock when scale-ups were asked for, to match them with the group's scaling activities */
    public AsgProvider(AsgConfig config, AutoScalingApi autoScaling, Ec2Api ec2, InstanceTypeLookup instanceTypes,
                       Clock clock) {
        this.config = config;
        this.autoScaling = autoScaling;
        this.ec2 = ec2;
        this.instanceTypes = instanceTypes;
        this.activities = new ScalingActivities(autoScaling, ID, clock);
    }

    /** A provider over the SDK clients of {@code clients}. */
    public static AsgProvider create(AsgConfig config, AwsClients clients, InstanceTypeLookup instanceTypes) {
        return new AsgProvider(config, new SdkAutoScalingApi(clients.autoScaling()), new SdkEc2Api(clients.ec2()),
                instanceTypes);
    }

    /** The tag that marks a group as belonging to the cluster. */
    public static String clusterTag(String clusterName) {
        return "k8s.io/cluster-autoscaler/" + clusterName;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        String op = "DescribeAutoScalingGroups";
        CompletionStage<List<AutoScalingGroup>> groups = config.discoversByTags()
                ? autoScaling.groupsWithTagKeys(List.of(ENABLED_TAG, clusterTag(config.clusterName())))
                : autoScaling.groupsNamed(config.groupNames());
        return AwsErrors.guard(ID, op, null, groups).thenCompose(list -> {
            List<CompletableFuture<Optional<NodeGroup>>> all = list.stream()
                    .map(g -> toNodeGroup(g).toCompletableFuture())
                    .toList();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .thenApply(v -> all.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
        });
    }

    private CompletionStage<Optional<NodeGroup>> toNodeGroup(AutoScalingGroup asg) {
        String name = asg.autoScalingGroupName();
        AsgTemplateTags tags;
        try {
            tags = AsgTemplateTags.parse(asg.tags());
        } catch (IllegalArgumentException e) {
            LOG.warn("asg node group {}: {}; group left out", name, e.getMessage());
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return instanceType(asg, tags).thenCompose(type -> type.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<InstanceTypeFacts>empty())
                : instanceTypes.facts(type.get())).thenApply(facts -> {
                    Optional<Arch> arch = Arch.fromLabel(tags.labels().get(NodeTemplate.ARCH_LABEL))
                            .or(() -> facts.map(InstanceTypeFacts::arch));
                    Resources allocatable = tags.applyTo(facts.map(f -> NodeAllocatable.of(f, 0)).orElse(Resources.ZERO));
                    if (arch.isEmpty() || allocatable.cpuMillis() == 0 || allocatable.memoryBytes() == 0) {
                        LOG.warn("asg node group {}: cannot tell the arch and capacity of its nodes (instance type {}"
                                + " unknown, no {} tags for kubernetes.io/arch, cpu and memory); group left out",
                                name, facts.map(InstanceTypeFacts::name).orElse("?"), AsgTemplateTags.PREFIX);
                        return Optional.empty();
                    }
                    String instanceType = facts.map(InstanceTypeFacts::name).orElse(null);
                    NodeTemplate template = NodeTemplate.forGroup(name, arch.get(), instanceType, allocatable,
                            tags.labels(), tags.taints());
                    CapacityType capacity = capacityType(asg);
                    return Optional.of(new NodeGroup(name, ID, arch.get(), asg.minSize(), asg.maxSize(),
                            asg.desiredCapacity(), NodeGroup.defaultWeight(arch.get(), capacity), instanceType,
                            facts.map(InstanceTypeFacts::pricePerHour).orElse(0.0), template, capacity));
                });
    }

    /**
     * Spot when the group's mixed instances policy buys no on-demand instances above its base
     * capacity ({@code OnDemandPercentageAboveBaseCapacity} 0): what a scale-up beyond the base
     * launches. Without a policy, or with any on-demand share, on-demand.
     */
    static CapacityType capacityType(AutoScalingGroup asg) {
        var policy = asg.mixedInstancesPolicy();
        if (policy == null || policy.instancesDistribution() == null) {
            return CapacityType.ON_DEMAND;
        }
        Integer onDemandPercent = policy.instancesDistribution().onDemandPercentageAboveBaseCapacity();
        return onDemandPercent != null && onDemandPercent == 0 ? CapacityType.SPOT : CapacityType.ON_DEMAND;
    }

    /**
     * The instance type new nodes get: the first override of a mixed instances policy, else its
     * launch template's, else the group's launch template's or launch configuration's, else the
     * instance-type label tag.
     */
    private CompletionStage<Optional<String>> instanceType(AutoScalingGroup asg, AsgTemplateTags tags) {
        CompletionStage<Optional<String>> found;
        var mixed = asg.mixedInstancesPolicy();
        if (mixed != null && mixed.launchTemplate() != null) {
            Optional<String> override = mixed.launchTemplate().overrides().stream()
                    .map(LaunchTemplateOverrides::instanceType)
                    .filter(t -> t != null && !t.isEmpty())
                    .findFirst();
            found = override.isPresent() ? CompletableFuture.completedFuture(override)
                    : fromLaunchTemplate(asg, mixed.launchTemplate().launchTemplateSpecification());
        } else if (asg.launchTemplate() != null) {
            found = fromLaunchTemplate(asg, asg.launchTemplate());
        } else if (asg.launchConfigurationName() != null && !asg.launchConfigurationName().isEmpty()) {
            found = AwsErrors.guard(ID, "DescribeLaunchConfigurations", asg.autoScalingGroupName(),
                    autoScaling.launchConfigurationInstanceType(asg.launchConfigurationName()));
        } else {
            found = CompletableFuture.completedFuture(Optional.empty());
        }
        return found.thenApply(t -> t.or(() -> Optional.ofNullable(tags.labels().get(NodeTemplate.INSTANCE_TYPE_LABEL))));
    }

    private CompletionStage<Optional<String>> fromLaunchTemplate(AutoScalingGroup asg, LaunchTemplateSpecification lt) {
        if (lt == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return AwsErrors.guard(ID, "DescribeLaunchTemplateVersions", asg.autoScalingGroupName(),
                ec2.launchTemplateInstanceType(lt.launchTemplateId(), lt.launchTemplateName(), lt.version()));
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        String op = "SetDesiredCapacity";
        if (delta <= 0) {
            return CompletableFuture.failedFuture(new ProviderException(ID, op, "node group " + nodeGroup
                    + ": delta must be positive, was " + delta, null));
        }
        return group(nodeGroup, op).thenCompose(asg -> {
            int target = asg.desiredCapacity() + delta;
            if (target > asg.maxSize()) {
                throw new ProviderException(ID, op, "node group " + nodeGroup + " wants " + asg.desiredCapacity()
                        + " nodes; " + delta + " more would exceed maxSize " + asg.maxSize(), null);
            }
            activities.scaledUp(nodeGroup);
            return AwsErrors.guard(ID, op, nodeGroup, autoScaling.setDesiredCapacity(nodeGroup, target));
        });
    }

    /** {@code SetDesiredCapacity} lower by {@code delta}, never below the live instances nor minSize. */
    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        String op = "SetDesiredCapacity";
        if (delta <= 0) {
            return CompletableFuture.failedFuture(new ProviderException(ID, op, "node group " + nodeGroup
                    + ": delta must be positive, was " + delta, null));
        }
        return group(nodeGroup, op).thenCompose(asg -> {
            int live = AsgInstances.live(AsgInstances.of(List.of(asg)));
            int target = AsgInstances.lowered(asg.desiredCapacity(), delta, live, asg.minSize());
            if (target == asg.desiredCapacity()) {
                LOG.info("asg node group {}: desired capacity {} stays ({} live instances, minSize {})", nodeGroup,
                        target, live, asg.minSize());
                return CompletableFuture.<Void>completedFuture(null);
            }
            return AwsErrors.guard(ID, op, nodeGroup, autoScaling.setDesiredCapacity(nodeGroup, target));
        });
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return group(nodeGroup, AsgInstances.TERMINATE).thenCompose(asg -> AsgInstances.terminate(autoScaling, ID,
                nodeGroup, List.of(asg), asg.desiredCapacity(), asg.minSize(), nodes));
    }

    /**
     * The group's instances and a placeholder for each wanted one not launched; while there are
     * placeholders, the group's scaling activities say whether they failed to launch.
     */
    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return group(nodeGroup, "DescribeAutoScalingGroups").thenCompose(asg -> {
            List<Instance> launched = AsgInstances.of(List.of(asg));
            if (AsgInstances.live(launched) >= asg.desiredCapacity()) {
                return CompletableFuture.completedFuture(launched);
            }
            return activities.latestLaunch(nodeGroup, nodeGroup).thenApply(latest -> AsgInstances.withPlaceholders(
                    nodeGroup, launched, asg.desiredCapacity(),
                    latest.flatMap(ScalingActivities::failure).orElse(null)));
        });
    }

    /** The group as it is now, if this provider manages it. */
    private CompletionStage<AutoScalingGroup> group(String name, String op) {
        if (!config.discoversByTags() && !config.groupNames().contains(name)) {
            return CompletableFuture.failedFuture(new NodeGroupNotFoundException(ID, op, name));
        }
        String clusterTag = clusterTag(config.clusterName());
        return AwsErrors.guard(ID, op, name, autoScaling.groupsNamed(List.of(name))).thenApply(groups -> groups.stream()
                .filter(g -> name.equals(g.autoScalingGroupName()))
                .filter(g -> !config.discoversByTags() || g.tags().stream().anyMatch(t -> clusterTag.equals(t.key())))
                .findFirst()
                .orElseThrow(() -> new NodeGroupNotFoundException(ID, op, name)));
    }
}
