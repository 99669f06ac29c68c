package io.archscaler.cloud.aws.eks;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.LaunchErrors;
import io.archscaler.cloud.aws.asg.AsgInstances;
import io.archscaler.cloud.aws.asg.AutoScalingApi;
import io.archscaler.cloud.aws.asg.ScalingActivities;
import io.archscaler.cloud.aws.asg.SdkAutoScalingApi;
import io.archscaler.cloud.aws.ec2.Ec2Api;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import io.archscaler.scaler.model.NodeGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.eks.model.Issue;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * EKS managed node groups. Discovers the cluster's groups (or the configured ones) with their
 * templates, grows or shrinks a group's {@code scalingConfig.desiredSize} with
 * {@code UpdateNodegroupConfig}, and removes a node's own instance from the group's Auto Scaling
 * group. A group busy with an earlier update fails with a retryable
 * {@code ResourceInUseException}: the resilience decorator owns retries. A scale-up EKS accepted
 * and its Auto Scaling group then failed to launch shows in {@link #instances} as placeholders
 * carrying the error of the failed scaling activity or, when the group shows no launch activity,
 * of the node group's health issue.
 */
public final class EksProvider implements NodeGroupProvider {
    public static final String ID = "eks";
    private static final Logger LOG = LoggerFactory.getLogger(EksProvider.class);
    private static final String UPDATE = "UpdateNodegroupConfig";
    private static final String DESCRIBE = "DescribeNodegroup";
    private static final String DESCRIBE_ASG = "DescribeAutoScalingGroups";

    private final EksConfig config;
    private final EksApi eks;
    private final AutoScalingApi autoScaling;
    private final EksTemplates templates;
    private final ScalingActivities activities;

    public EksProvider(EksConfig config, EksApi eks, AutoScalingApi autoScaling, Ec2Api ec2,
                       InstanceTypeLookup instanceTypes) {
        this.config = config;
        this.eks = eks;
        this.autoScaling = autoScaling;
        this.templates = new EksTemplates(ec2, instanceTypes);
        // scale-up times are matched with AWS's activity times: the wall clock, not a test clock
        this.activities = new ScalingActivities(autoScaling, ID, Clock.systemUTC());
    }

    /** A provider over the SDK clients of {@code clients}. */
    public static EksProvider create(EksConfig config, AwsClients clients, InstanceTypeLookup instanceTypes) {
        return new EksProvider(config, new SdkEksApi(clients.eks()), new SdkAutoScalingApi(clients.autoScaling()),
                new SdkEc2Api(clients.ec2()), instanceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        CompletionStage<List<String>> names = config.discoversAll()
                ? AwsErrors.guard(ID, "ListNodegroups", null, eks.nodegroupNames(config.clusterName()))
                : CompletableFuture.completedFuture(config.nodegroupNames());
        return names.thenCompose(list -> {
            List<CompletableFuture<Optional<NodeGroup>>> all = list.stream()
                    .map(name -> describe(name).thenCompose(templates::toNodeGroup).toCompletableFuture())
                    .toList();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .thenApply(v -> all.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
        });
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return checked(nodeGroup, UPDATE, delta).orElseGet(() -> describe(nodeGroup).thenCompose(ng -> {
            NodegroupScalingConfig scaling = scaling(ng);
            int target = scaling.desiredSize() + delta;
            if (target > scaling.maxSize()) {
                throw new ProviderException(ID, UPDATE, "node group " + nodeGroup + " wants "
                        + scaling.desiredSize() + " nodes; " + delta + " more would exceed maxSize "
                        + scaling.maxSize(), null);
            }
            autoScalingGroupNames(ng).forEach(activities::scaledUp);
            return update(ng, target);
        }));
    }

    /**
     * {@code UpdateNodegroupConfig} with {@code desiredSize} lower by {@code delta}, never below the
     * live instances of its Auto Scaling groups nor minSize.
     */
    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return checked(nodeGroup, UPDATE, delta).orElseGet(() -> describe(nodeGroup)
                .thenCompose(ng -> autoScalingGroups(ng, DESCRIBE_ASG).thenCompose(groups -> {
                    NodegroupScalingConfig scaling = scaling(ng);
                    int live = AsgInstances.live(AsgInstances.of(groups));
                    int target = AsgInstances.lowered(scaling.desiredSize(), delta, live, scaling.minSize());
                    if (target == scaling.desiredSize()) {
                        LOG.info("eks node group {}: desired size {} stays ({} live instances, minSize {})",
                                nodeGroup, target, live, scaling.minSize());
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return update(ng, target);
                })));
    }

    /** A refusal before any call: the group is not managed here, or the delta is not positive. */
    private Optional<CompletionStage<Void>> checked(String nodeGroup, String op, int delta) {
        Optional<ProviderException> refused = unmanaged(nodeGroup, op);
        if (refused.isEmpty() && delta <= 0) {
            refused = Optional.of(new ProviderException(ID, op, "node group " + nodeGroup
                    + ": delta must be positive, was " + delta, null));
        }
        return refused.map(CompletableFuture::failedFuture);
    }

    /** Sets the desired size; a group still busy with an earlier update is refused as EKS would refuse it. */
    private CompletionStage<Void> update(Nodegroup ng, int desired) {
        String status = ng.statusAsString();
        if ("UPDATING".equals(status) || "CREATING".equals(status)) {
            return CompletableFuture.failedFuture(new CloudApiException(ID, UPDATE, "ResourceInUseException",
                    "node group " + ng.nodegroupName() + " is " + status, true, null));
        }
        NodegroupScalingConfig scaling = scaling(ng);
        return AwsErrors.guard(ID, UPDATE, ng.nodegroupName(), eks.updateScaling(config.clusterName(),
                ng.nodegroupName(), scaling.minSize(), scaling.maxSize(), desired));
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        Optional<ProviderException> refused = unmanaged(nodeGroup, AsgInstances.TERMINATE);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return describe(nodeGroup).thenCompose(ng -> autoScalingGroups(ng, AsgInstances.TERMINATE)
                .thenCompose(groups -> {
                    NodegroupScalingConfig scaling = scaling(ng);
                    return AsgInstances.terminate(autoScaling, ID, nodeGroup, groups, scaling.desiredSize(),
                            scaling.minSize(), nodes);
                }));
    }

    /**
     * The instances of the group's Auto Scaling groups and a placeholder for each wanted one not
     * launched; while there are placeholders, the groups' scaling activities (else the node
     * group's health issues) say whether they failed to launch.
     */
    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        Optional<ProviderException> refused = unmanaged(nodeGroup, DESCRIBE_ASG);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        return describe(nodeGroup).thenCompose(ng -> autoScalingGroups(ng, DESCRIBE_ASG).thenCompose(groups -> {
            List<Instance> launched = AsgInstances.of(groups);
            int desired = scaling(ng).desiredSize();
            if (AsgInstances.live(launched) >= desired) {
                return CompletableFuture.completedFuture(launched);
            }
            return launchFailure(ng).thenApply(error -> AsgInstances.withPlaceholders(nodeGroup, launched, desired,
                    error.orElse(null)));
        }));
    }

    private CompletionStage<Optional<InstanceError>> launchFailure(Nodegroup ng) {
        List<CompletableFuture<Optional<Activity>>> latest = autoScalingGroupNames(ng).stream()
                .map(asg -> activities.latestLaunch(asg, ng.nodegroupName()).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(latest.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Optional<Activity> newest = latest.stream().map(CompletableFuture::join).flatMap(Optional::stream)
                    .max(Comparator.comparing(a -> a.startTime() == null ? Instant.MIN : a.startTime()));
            if (newest.isPresent()) {
                return ScalingActivities.failure(newest.get());
            }
            // no launch activity since the scale-up: the Auto Scaling group may not be able to start one
            return healthIssue(ng);
        });
    }

    private static Optional<InstanceError> healthIssue(Nodegroup ng) {
        if (ng.health() == null) {
            return Optional.empty();
        }
        for (Issue issue : ng.health().issues()) {
            Optional<InstanceError> error = LaunchErrors.fromNodegroupIssue(issue.codeAsString(), issue.message());
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    private static List<String> autoScalingGroupNames(Nodegroup ng) {
        return ng.resources() == null ? List.of()
                : ng.resources().autoScalingGroups().stream()
                        .map(software.amazon.awssdk.services.eks.model.AutoScalingGroup::name).toList();
    }

    private CompletionStage<List<AutoScalingGroup>> autoScalingGroups(Nodegroup ng, String op) {
        List<String> names = autoScalingGroupNames(ng);
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return AwsErrors.guard(ID, op, ng.nodegroupName(), autoScaling.groupsNamed(names));
    }

    private CompletionStage<Nodegroup> describe(String nodeGroup) {
        return AwsErrors.guard(ID, DESCRIBE, nodeGroup, eks.describeNodegroup(config.clusterName(), nodeGroup));
    }

    private Optional<ProviderException> unmanaged(String nodeGroup, String op) {
        if (config.discoversAll() || config.nodegroupNames().contains(nodeGroup)) {
            return Optional.empty();
        }
        return Optional.of(new NodeGroupNotFoundException(ID, op, nodeGroup));
    }

    static NodegroupScalingConfig scaling(Nodegroup ng) {
        NodegroupScalingConfig s = ng.scalingConfig();
        return NodegroupScalingConfig.builder()
                .minSize(s == null || s.minSize() == null ? 0 : s.minSize())
                .maxSize(s == null || s.maxSize() == null ? 0 : s.maxSize())
                .desiredSize(s == null || s.desiredSize() == null ? 0 : s.desiredSize())
                .build();
    }
}
