package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsClientConfig;
import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.asg.AsgConfig;
import io.archscaler.cloud.aws.asg.AsgProvider;
import io.archscaler.cloud.aws.asg.SdkAutoScalingApi;
import io.archscaler.cloud.aws.ec2.Ec2FleetConfig;
import io.archscaler.cloud.aws.ec2.Ec2FleetProvider;
import io.archscaler.cloud.aws.ec2.Ec2InstanceTypes;
import io.archscaler.cloud.aws.ec2.FleetGroup;
import io.archscaler.cloud.aws.ec2.FleetLaunchTemplate;
import io.archscaler.cloud.aws.eks.EksConfig;
import io.archscaler.cloud.aws.eks.EksProvider;
import io.archscaler.cloud.instancetypes.InstanceType;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.AwsConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.DiscoveryConfig;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;
import io.archscaler.config.ProviderType;
import io.archscaler.scaler.model.CapacityType;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code eks}, {@code asg} and {@code ec2} providers a config asks for, over one set of AWS
 * clients and one instance-type lookup (the bundled catalog first, then EC2
 * {@code DescribeInstanceTypes}, remembered). Credentials come from the SDK's default chain unless
 * a provider of them is given; none is ever logged.
 */
final class AwsProviders implements AutoCloseable {
    private final ArchscalerConfig config;
    private final AwsClients clients;
    private final InstanceTypeLookup instanceTypes;
    private final InstanceTypeCatalog catalog;
    private final Duration callTimeout;

    /** @param credentials null for the SDK's default chain (environment, profile, web identity / IRSA, pod identity) */
    AwsProviders(ArchscalerConfig config, AwsCredentialsProvider credentials, InstanceTypeCatalog catalog,
                 Duration callTimeout) {
        this.config = config;
        this.callTimeout = callTimeout;
        this.catalog = catalog;
        this.clients = new AwsClients(clientConfig(config.aws()), credentials);
        this.instanceTypes = catalogLookup(catalog).orElse(Ec2InstanceTypes.create(clients));
    }

    /** Whether any configured group or discovery needs AWS. */
    static boolean needed(ArchscalerConfig config) {
        return config.discovery().eks().isPresent() || config.discovery().asg().isPresent()
                || config.nodeGroups().stream().anyMatch(g -> g.provider() == ProviderType.EKS
                || g.provider() == ProviderType.ASG || g.provider() == ProviderType.EC2);
    }

    /**
     * The clients' region and endpoints. Without {@code aws.region} the region comes from
     * {@code AWS_REGION} or the AWS profile (as the SDK reads them), never from instance metadata.
     */
    static AwsClientConfig clientConfig(AwsConfig aws) {
        String region = aws.region().orElseGet(() -> {
            try {
                return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                        .getRegion().id();
            } catch (SdkClientException e) {
                throw new ConfigException("aws.region: not set, and neither AWS_REGION nor the AWS profile names a"
                        + " region; set aws.region (for example us-west-2)");
            }
        });
        AwsConfig.Endpoints e = aws.endpoints();
        try {
            return new AwsClientConfig(region, e.eks().orElse(null), e.ec2().orElse(null),
                    e.autoscaling().orElse(null), null);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(ex.getMessage());
        }
    }

    /** The bundled catalog as an instance-type lookup. */
    static InstanceTypeLookup catalogLookup(InstanceTypeCatalog catalog) {
        return InstanceTypeLookup.of(name -> catalog.find(name).map(AwsProviders::facts));
    }

    private static InstanceTypeFacts facts(InstanceType t) {
        return new InstanceTypeFacts(t.name(), t.arch(), t.vcpu(), t.memoryMiB(), t.maxPods(), t.gpus(),
                t.pricePerHour());
    }

    /** Every AWS provider the config asks for, with its mapping. */
    List<ProviderSource> sources() {
        List<ProviderSource> out = new ArrayList<>();
        out.addAll(eks());
        out.addAll(asg());
        ec2().ifPresent(out::add);
        return out;
    }

    /** One provider per EKS cluster; the discovery cluster's provider lists every node group. */
    private List<ProviderSource> eks() {
        Map<String, List<NodeGroupConfig>> byCluster = new LinkedHashMap<>();
        for (NodeGroupConfig g : config.nodeGroups()) {
            if (g.settings() instanceof ProviderSettings.Eks eks) {
                byCluster.computeIfAbsent(eks.clusterName(), c -> new ArrayList<>()).add(g);
            }
        }
        Optional<String> discovered = config.discovery().eks().map(DiscoveryConfig.Eks::clusterName);
        discovered.ifPresent(c -> byCluster.putIfAbsent(c, List.of()));
        List<ProviderSource> out = new ArrayList<>();
        byCluster.forEach((cluster, groups) -> {
            Map<String, NodeGroupConfig> byName = ProviderSource.byProviderName(groups,
                    g -> ((ProviderSettings.Eks) g.settings()).nodegroupName(), "EKS node group", " in cluster " + cluster);
            boolean discovers = discovered.isPresent() && discovered.get().equals(cluster);
            EksConfig eksConfig = discovers ? EksConfig.discoverAll(cluster)
                    : EksConfig.of(cluster, List.copyOf(byName.keySet()));
            EksProvider provider = EksProvider.create(eksConfig, clients, instanceTypes);
            GroupMapping mapping = GroupMapping.configured(EksProvider.ID, byName);
            out.add(discovers
                    ? new ProviderSource(provider, mapping.withDiscovered(configuredNames()),
                            name -> new ProviderSettings.Eks(cluster, name))
                    : ProviderSource.configured(provider, mapping));
        });
        return out;
    }

    /** The configured Auto Scaling groups, and the discovered ones by tags. */
    private List<ProviderSource> asg() {
        List<NodeGroupConfig> groups = config.nodeGroups().stream()
                .filter(g -> g.settings() instanceof ProviderSettings.Asg).toList();
        Map<String, NodeGroupConfig> byName = ProviderSource.byProviderName(groups,
                g -> ((ProviderSettings.Asg) g.settings()).name(), "Auto Scaling group", "");
        List<ProviderSource> out = new ArrayList<>();
        if (!byName.isEmpty()) {
            AsgProvider provider = AsgProvider.create(new AsgConfig(config.cluster(), List.copyOf(byName.keySet())),
                    clients, instanceTypes);
            out.add(ProviderSource.configured(provider, GroupMapping.configured(AsgProvider.ID, byName)));
        }
        config.discovery().asg().ifPresent(d -> {
            Set<String> excluded = new HashSet<>(configuredNames());
            excluded.addAll(byName.keySet());
            GroupMapping mapping = GroupMapping.configured(AsgProvider.ID, Map.of()).withDiscovered(excluded);
            if (d.tags().isEmpty()) {
                out.add(new ProviderSource(AsgProvider.create(AsgConfig.discoverByTags(d.clusterName()), clients,
                        instanceTypes), mapping, ProviderSettings.Asg::new));
                return;
            }
            List<String> names = taggedGroupNames(d.tags()).stream().filter(n -> !excluded.contains(n)).toList();
            if (!names.isEmpty()) {
                out.add(new ProviderSource(AsgProvider.create(new AsgConfig(d.clusterName(), names), clients,
                        instanceTypes), mapping, ProviderSettings.Asg::new));
            }
        });
        return out;
    }

    /**
     * The names of the Auto Scaling groups that carry every tag ({@code key}, or {@code key=value}),
     * looked up once: groups tagged later join at the next start.
     */
    private List<String> taggedGroupNames(List<String> tags) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String tag : tags) {
            int eq = tag.indexOf('=');
            wanted.put(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? null : tag.substring(eq + 1));
        }
        List<AutoScalingGroup> groups;
        try {
            groups = new SdkAutoScalingApi(clients.autoScaling()).groupsWithTagKeys(List.copyOf(wanted.keySet()))
                    .toCompletableFuture().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AwsErrors.map(AsgProvider.ID, "DescribeAutoScalingGroups", null, e);
        } catch (ExecutionException | TimeoutException e) {
            throw AwsErrors.map(AsgProvider.ID, "DescribeAutoScalingGroups", null, e.getCause() != null ? e.getCause() : e);
        }
        Set<String> names = new LinkedHashSet<>();
        for (AutoScalingGroup g : groups) {
            boolean matches = wanted.entrySet().stream().allMatch(w -> g.tags().stream().anyMatch(t ->
                    w.getKey().equals(t.key()) && (w.getValue() == null || w.getValue().equals(t.value()))));
            if (matches) {
                names.add(g.autoScalingGroupName());
            }
        }
        return List.copyOf(names);
    }

    /** One fleet provider for every {@code ec2} group. */
    private Optional<ProviderSource> ec2() {
        List<NodeGroupConfig> groups = config.nodeGroups().stream()
                .filter(g -> g.settings() instanceof ProviderSettings.Ec2).toList();
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        List<FleetGroup> fleet = new ArrayList<>();
        for (NodeGroupConfig g : groups) {
            ProviderSettings.Ec2 s = (ProviderSettings.Ec2) g.settings();
            try {
                FleetLaunchTemplate lt = s.launchTemplate().matches("lt-[0-9a-f]+")
                        ? FleetLaunchTemplate.byId(s.launchTemplate(), s.launchTemplateVersion())
                        : FleetLaunchTemplate.byName(s.launchTemplate(), s.launchTemplateVersion());
                fleet.add(new FleetGroup(g.name(), g.arch(), g.minSize(), g.maxSize(), lt, fleetTypes(g, s),
                        s.subnets(), g.labels(), g.taints(), g.capacityType()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("node group " + g.name() + ": " + e.getMessage());
            }
        }
        Map<String, NodeGroupConfig> byName = ProviderSource.byProviderName(groups, NodeGroupConfig::name, "group", "");
        Ec2FleetProvider provider = Ec2FleetProvider.create(new Ec2FleetConfig(config.cluster(), fleet), clients,
                instanceTypes);
        return Optional.of(ProviderSource.configured(provider, GroupMapping.configured(Ec2FleetProvider.ID, byName)));
    }

    /**
     * The types a group's fleet chooses from: as configured; a spot group configured with one type
     * also gets the catalog's types of the same arch and shape, since a spot fleet over one pool
     * has nothing to fall back on.
     */
    List<String> fleetTypes(NodeGroupConfig g, ProviderSettings.Ec2 s) {
        if (g.capacityType() != CapacityType.SPOT || s.instanceTypes().size() != 1) {
            return s.instanceTypes();
        }
        List<String> types = new ArrayList<>(s.instanceTypes());
        catalog.find(s.instanceTypes().get(0)).ifPresent(t -> catalog.similar(t).forEach(o -> types.add(o.name())));
        return types;
    }

    private Set<String> configuredNames() {
        return Set.copyOf(config.nodeGroupNames());
    }

    @Override
    public void close() {
        clients.close();
    }
}
