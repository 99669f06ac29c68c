package io.archscaler.cloud.aws.eks;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.asg.AsgInstances;
import io.archscaler.cloud.aws.asg.AutoScalingApi;
import io.archscaler.cloud.aws.asg.SdkAutoScalingApi;
import io.archscaler.cloud.aws.ec2.Ec2Api;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import io.archscaler.scaler.model.NodeGroup;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EKS managed node groups. Discovers the cluster's groups (or the configured ones) with their
 * templates, grows a group by raising {@code scalingConfig.desiredSize} with
 * {@code UpdateNodegroupConfig}, and removes a node's own instance from the group's Auto Scaling
 * group. A group busy with an earlier update is described again after a pause, up to
 * {@link UpdateWait#maxChecks()} times, instead of being hammered.
 */
public final class EksProvider implements NodeGroupProvider {
    public static final String ID = "eks";
    private static final String UPDATE = "UpdateNodegroupConfig";
    private static final String DESCRIBE = "DescribeNodegroup";

    private final EksConfig config;
    private final EksApi eks;
    private final AutoScalingApi autoScaling;
    private final EksTemplates templates;

    public EksProvider(EksConfig config, EksApi eks, AutoScalingApi autoScaling, Ec2Api ec2,
                       InstanceTypeLookup instanceTypes) {
        this.config = config;
        this.eks = eks;
        this.autoScaling = autoScaling;
        this.templates = new EksTemplates(ec2, instanceTypes);
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
        Optional<ProviderException> refused = unmanaged(nodeGroup, UPDATE);
        if (refused.isEmpty() && delta <= 0) {
            refused = Optional.of(new ProviderException(ID, UPDATE, "node group " + nodeGroup
                    + ": delta must be positive, was " + delta, null));
        }
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        return increase(nodeGroup, delta, new AtomicInteger());
    }

    private CompletionStage<Void> increase(String nodeGroup, int delta, AtomicInteger checks) {
        return settled(nodeGroup, checks).thenCompose(ng -> {
            NodegroupScalingConfig scaling = scaling(ng);
            int target = scaling.desiredSize() + delta;
            if (target > scaling.maxSize()) {
                throw new ProviderException(ID, UPDATE, "node group " + nodeGroup + " wants "
                        + scaling.desiredSize() + " nodes; " + delta + " more would exceed maxSize "
                        + scaling.maxSize(), null);
            }
            return eks.updateScaling(config.clusterName(), nodeGroup, scaling.minSize(), scaling.maxSize(), target)
                    .handle((ok, error) -> {
                        if (error == null) {
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        boolean busy = "ResourceInUseException".equals(AwsErrors.errorCode(error));
                        if (busy && checks.get() < config.updateWait().maxChecks()) {
                            return pause(checks.get() - 1).thenCompose(v -> increase(nodeGroup, delta, checks));
                        }
                        return CompletableFuture.<Void>failedFuture(AwsErrors.map(ID, UPDATE, nodeGroup, error));
                    })
                    .thenCompose(stage -> stage);
        });
    }

    /** The group once it is no longer busy with an earlier create or update. */
    private CompletionStage<Nodegroup> settled(String nodeGroup, AtomicInteger checks) {
        int check = checks.incrementAndGet();
        return describe(nodeGroup).thenCompose(ng -> {
            String status = ng.statusAsString();
            if (!"UPDATING".equals(status) && !"CREATING".equals(status)) {
                return CompletableFuture.completedFuture(ng);
            }
            if (check >= config.updateWait().maxChecks()) {
                return CompletableFuture.failedFuture(new CloudApiException(ID, UPDATE, "ResourceInUseException",
                        "node group " + nodeGroup + " is still " + status + " after " + check + " checks", true,
                        null));
            }
            return pause(check - 1).thenCompose(v -> settled(nodeGroup, checks));
        });
    }

    private CompletionStage<Void> pause(int check) {
        long millis = config.updateWait().delayAfter(check).toMillis();
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
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

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        Optional<ProviderException> refused = unmanaged(nodeGroup, "DescribeAutoScalingGroups");
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        return describe(nodeGroup).thenCompose(ng -> autoScalingGroups(ng, "DescribeAutoScalingGroups"))
                .thenApply(AsgInstances::of);
    }

    private CompletionStage<List<AutoScalingGroup>> autoScalingGroups(Nodegroup ng, String op) {
        List<String> names = ng.resources() == null ? List.of()
                : ng.resources().autoScalingGroups().stream()
                        .map(software.amazon.awssdk.services.eks.model.AutoScalingGroup::name).toList();
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
