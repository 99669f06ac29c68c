package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.LaunchErrors;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.ProviderIds;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.FleetOnDemandAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Node groups whose instances Archscaler launches itself with an instant EC2 Fleet (no Auto
 * Scaling group): an on-demand fleet picks the cheapest of the group's instance types that has
 * capacity ({@code lowest-price}), a spot fleet the cheapest of the deepest spot pools
 * ({@code price-capacity-optimized}); each instance is tagged with its group, so a group's size
 * is the count of its pending and running instances. A spot group's price is its first type's
 * current spot price ({@link SpotPrices}).
 */
public final class Ec2FleetProvider implements NodeGroupProvider {
    public static final String ID = "ec2";
    public static final String GROUP_TAG = "archscaler.io/node-group";
    public static final String CLUSTER_TAG = "archscaler.io/cluster";
    static final List<String> LIVE_STATES = List.of("pending", "running");
    private static final Logger LOG = LoggerFactory.getLogger(Ec2FleetProvider.class);

    private final Ec2FleetConfig config;
    private final Ec2Api ec2;
    private final InstanceTypeLookup instanceTypes;
    private final SpotPrices spotPrices;

    public Ec2FleetProvider(Ec2FleetConfig config, Ec2Api ec2, InstanceTypeLookup instanceTypes) {
        this(config, ec2, instanceTypes, new SpotPrices(ec2, Clock.systemUTC(), SpotPrices.DEFAULT_MAX_AGE));
    }

    public Ec2FleetProvider(Ec2FleetConfig config, Ec2Api ec2, InstanceTypeLookup instanceTypes,
                            SpotPrices spotPrices) {
        this.config = config;
        this.ec2 = ec2;
        this.instanceTypes = instanceTypes;
        this.spotPrices = spotPrices;
    }

    /** A provider over the EC2 client of {@code clients}. */
    public static Ec2FleetProvider create(Ec2FleetConfig config, AwsClients clients, InstanceTypeLookup instanceTypes) {
        return new Ec2FleetProvider(config, new SdkEc2Api(clients.ec2()), instanceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        List<CompletableFuture<Optional<NodeGroup>>> all = config.groups().stream()
                .map(g -> describe(g).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    private CompletionStage<Optional<NodeGroup>> describe(FleetGroup group) {
        CompletionStage<Optional<NodeGroup>> described = usableTypes(group).thenCombine(
                live(group, "DescribeInstances"), (types, instances) -> {
                    if (types.isEmpty()) {
                        LOG.warn("ec2 node group {}: none of the instance types {} is a known {} type; group left out",
                                group.name(), group.instanceTypes(), group.arch());
                        return Optional.<NodeGroup>empty();
                    }
                    InstanceTypeFacts first = types.get(0);
                    NodeTemplate template = NodeTemplate.forGroup(group.name(), group.arch(), first.name(),
                            NodeAllocatable.of(first, 0), group.labels(), group.taints())
                            .withCapacityType(group.capacityType());
                    CapacityType capacity = group.capacityType();
                    return Optional.of(new NodeGroup(group.name(), ID, group.arch(), group.minSize(),
                            group.maxSize(), instances.size(), NodeGroup.defaultWeight(group.arch(), capacity),
                            first.name(), first.pricePerHour(), template, capacity));
                });
        if (group.capacityType() != CapacityType.SPOT) {
            return described;
        }
        return described.thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture(found)
                : withSpotPrice(found.get()).thenApply(Optional::of));
    }

    /** The group priced at its type's current spot price; the on-demand price stays when EC2 gives none. */
    private CompletionStage<NodeGroup> withSpotPrice(NodeGroup g) {
        return spotPrices.lowest(List.of(g.instanceType())).handle((prices, error) -> {
            Double price = prices == null ? null : prices.get(g.instanceType());
            if (price == null) {
                if (error != null) {
                    LOG.warn("ec2 node group {}: no spot price of {} ({}); ranking it at the on-demand price for {}",
                            g.name(), g.instanceType(), error.getMessage(), SpotPrices.DEFAULT_MAX_AGE);
                }
                return g;
            }
            return new NodeGroup(g.name(), g.provider(), g.arch(), g.minSize(), g.maxSize(), g.targetSize(),
                    g.weight(), g.instanceType(), price, g.template(), g.capacityType());
        });
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        String op = "CreateFleet";
        FleetGroup group;
        try {
            group = group(nodeGroup, op);
            if (delta <= 0) {
                throw new ProviderException(ID, op, "node group " + nodeGroup + ": delta must be positive, was "
                        + delta, null);
            }
        } catch (ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
        return live(group, op).thenCompose(current -> {
            int target = current.size() + delta;
            if (target > group.maxSize()) {
                throw new ProviderException(ID, op, "node group " + nodeGroup + " has " + current.size()
                        + " instances; " + delta + " more would exceed maxSize " + group.maxSize(), null);
            }
            return usableTypes(group);
        }).thenCompose(types -> {
            if (types.isEmpty()) {
                throw new ProviderException(ID, op, "node group " + nodeGroup + ": none of the instance types "
                        + group.instanceTypes() + " is a known " + group.arch() + " type", null);
            }
            CreateFleetRequest request = fleetRequest(group, types, delta);
            return AwsErrors.guard(ID, op, nodeGroup, ec2.createFleet(request))
                    .thenAccept(response -> checkLaunched(group, delta, response));
        });
    }

    private CreateFleetRequest fleetRequest(FleetGroup group, List<InstanceTypeFacts> types, int delta) {
        FleetLaunchTemplate lt = group.launchTemplate();
        List<FleetLaunchTemplateOverridesRequest> overrides = new ArrayList<>();
        for (InstanceTypeFacts type : types) {
            if (group.subnetIds().isEmpty()) {
                overrides.add(FleetLaunchTemplateOverridesRequest.builder().instanceType(type.name()).build());
            }
            for (String subnet : group.subnetIds()) {
                overrides.add(FleetLaunchTemplateOverridesRequest.builder().instanceType(type.name())
                        .subnetId(subnet).build());
            }
        }
        return CreateFleetRequest.builder()
                .type(FleetType.INSTANT)
                .launchTemplateConfigs(FleetLaunchTemplateConfigRequest.builder()
                        .launchTemplateSpecification(FleetLaunchTemplateSpecificationRequest.builder()
                                .launchTemplateId(lt.id()).launchTemplateName(lt.name()).version(lt.version())
                                .build())
                        .overrides(overrides)
                        .build())
                .applyMutation(b -> capacityOptions(b, group.capacityType(), delta))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
                        Tag.builder().key(GROUP_TAG).value(group.name()).build(),
                        Tag.builder().key(CLUSTER_TAG).value(config.clusterName()).build()).build())
                .build();
    }

    /** Spot: price-capacity-optimized over the spot pools; on-demand: the lowest price that has capacity. */
    private static void capacityOptions(CreateFleetRequest.Builder b, CapacityType capacity, int delta) {
        if (capacity == CapacityType.SPOT) {
            b.targetCapacitySpecification(t -> t.totalTargetCapacity(delta)
                            .defaultTargetCapacityType(DefaultTargetCapacityType.SPOT))
                    .spotOptions(o -> o.allocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED));
            return;
        }
        b.targetCapacitySpecification(t -> t.totalTargetCapacity(delta)
                        .defaultTargetCapacityType(DefaultTargetCapacityType.ON_DEMAND))
                .onDemandOptions(o -> o.allocationStrategy(FleetOnDemandAllocationStrategy.LOWEST_PRICE));
    }

    /** An instant fleet answers 200 even when it launched fewer instances than asked; its errors say why. */
    private void checkLaunched(FleetGroup group, int asked, CreateFleetResponse response) {
        int launched = response.instances().stream().mapToInt(i -> i.instanceIds().size()).sum();
        List<String> ids = response.instances().stream().map(CreateFleetInstance::instanceIds)
                .flatMap(List::stream).toList();
        if (launched >= asked) {
            LOG.info("ec2 node group {}: launched {} ({})", group.name(), ids, response.fleetId());
            return;
        }
        List<CreateFleetError> errors = response.errors();
        String why = errors.isEmpty() ? "no reason given"
                : errors.stream().map(e -> e.errorCode() + ": " + e.errorMessage()).distinct()
                        .collect(Collectors.joining("; "));
        String message = "launched " + launched + " of " + asked + " instances " + ids + ": " + why;
        boolean capacity = errors.isEmpty() || errors.stream().anyMatch(e -> AwsErrors.isCapacityCode(e.errorCode()));
        if (capacity) {
            throw new InsufficientCapacityException(ID, "CreateFleet", group.name(), message, shortTypes(errors));
        }
        String code = errors.get(0).errorCode();
        if (AwsErrors.OFFERING_CODES.contains(code)) {
            throw LaunchErrors.fromStatusMessage(code + ": " + message).toException(ID, group.name());
        }
        boolean retryable = AwsErrors.THROTTLING_CODES.contains(code);
        throw new CloudApiException(ID, "CreateFleet", code, message, retryable, null);
    }

    /** The instance types the fleet's capacity errors name, in their order. */
    private static List<String> shortTypes(List<CreateFleetError> errors) {
        return errors.stream()
                .filter(e -> AwsErrors.isCapacityCode(e.errorCode()) && e.launchTemplateAndOverrides() != null
                        && e.launchTemplateAndOverrides().overrides() != null)
                .map(e -> e.launchTemplateAndOverrides().overrides().instanceTypeAsString())
                .filter(t -> t != null && !t.isEmpty())
                .distinct()
                .toList();
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        String op = "TerminateInstances";
        FleetGroup group;
        Set<String> ids;
        try {
            group = group(nodeGroup, op);
            ids = instanceIds(nodeGroup, nodes, op);
        } catch (ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return live(group, op).thenCompose(current -> {
            Set<String> members = current.stream().map(software.amazon.awssdk.services.ec2.model.Instance::instanceId)
                    .collect(Collectors.toSet());
            for (String id : ids) {
                if (!members.contains(id)) {
                    throw new ProviderException(ID, op, "instance " + id + " is not a live instance of node group "
                            + nodeGroup, null);
                }
            }
            if (current.size() - ids.size() < group.minSize()) {
                throw new ProviderException(ID, op, "node group " + nodeGroup + " has " + current.size()
                        + " instances; removing " + ids.size() + " would go below minSize " + group.minSize(), null);
            }
            return AwsErrors.guard(ID, op, nodeGroup, ec2.terminateInstances(ids));
        });
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        try {
            FleetGroup group = group(nodeGroup, "DescribeInstances");
            return live(group, "DescribeInstances").thenApply(list -> list.stream()
                    .map(i -> new Instance(i.instanceId(),
                            ProviderIds.of(i.placement() == null ? null : i.placement().availabilityZone(),
                                    i.instanceId()),
                            state(i.state() == null ? null : i.state().nameAsString())))
                    .toList());
        } catch (ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * An instant fleet answers a launch at once, so its instances are never placeholders and never
     * fail later: pending ones are on their way, shutting-down ones leaving.
     */
    private static InstanceState state(String ec2State) {
        if ("pending".equals(ec2State)) {
            return InstanceState.CREATING;
        }
        return "running".equals(ec2State) ? InstanceState.RUNNING : InstanceState.DELETING;
    }

    private CompletionStage<List<software.amazon.awssdk.services.ec2.model.Instance>> live(FleetGroup group,
                                                                                          String op) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(GROUP_TAG, group.name());
        tags.put(CLUSTER_TAG, config.clusterName());
        return AwsErrors.guard(ID, op, group.name(), ec2.instancesTagged(tags, LIVE_STATES));
    }

    /** The group's instance types that are known and of its arch, in the configured order. */
    private CompletionStage<List<InstanceTypeFacts>> usableTypes(FleetGroup group) {
        List<CompletableFuture<Optional<InstanceTypeFacts>>> lookups = group.instanceTypes().stream()
                .map(t -> instanceTypes.facts(t).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<InstanceTypeFacts> usable = new ArrayList<>();
            for (int i = 0; i < lookups.size(); i++) {
                Optional<InstanceTypeFacts> facts = lookups.get(i).join();
                String type = group.instanceTypes().get(i);
                if (facts.isEmpty()) {
                    LOG.warn("ec2 node group {}: instance type {} is unknown; not used", group.name(), type);
                } else if (facts.get().arch() != group.arch()) {
                    LOG.warn("ec2 node group {}: instance type {} is {}, not {}; not used", group.name(), type,
                            facts.get().arch(), group.arch());
                } else {
                    usable.add(facts.get());
                }
            }
            return usable;
        });
    }

    private FleetGroup group(String name, String op) {
        return config.groups().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new NodeGroupNotFoundException(ID, op, name));
    }

    private static Set<String> instanceIds(String nodeGroup, List<NodeRef> nodes, String op) {
        Set<String> ids = new LinkedHashSet<>();
        for (NodeRef node : nodes) {
            ids.add(ProviderIds.instanceId(node.providerId()).orElseThrow(() -> new ProviderException(ID, op,
                    "node " + node.name() + " of node group " + nodeGroup + " has providerID \""
                            + node.providerId() + "\", which names no EC2 instance", null)));
        }
        return ids;
    }
}
