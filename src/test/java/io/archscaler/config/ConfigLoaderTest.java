package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.scaler.interruption.RebalanceMode;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.restore.RestoreBudget;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    @Test
    void readsEveryKeyOfAFullConfig() {
        ArchscalerConfig config = loader.parse("""
                cluster: prod
                nodeGroups:
                  - name: arm-general
                    provider: eks                 # eks | asg | clusterapi | simulated
                    arch: arm64
                    minSize: 1
                    maxSize: 50
                    weight: 200
                    instanceType: m7g.large
                    pricePerHour: 0.0816
                    capacity: {cpu: "2", memory: 8Gi, pods: 29, ephemeral-storage: 50Gi}
                    labels: {workload: general}
                    taints: [{key: arch, value: arm64, effect: NoSchedule}]
                    eks: {clusterName: prod-eks, nodegroupName: arm-general-ng}
                  - name: x86-asg
                    provider: asg
                    instanceType: m5.large
                    maxSize: 20
                    asg: {name: prod-x86}
                  - name: fleet
                    provider: ec2
                    arch: arm64
                    maxSize: 5
                    capacity: {cpu: 3500m, memory: 15Gi}
                    ec2: {launchTemplate: lt-0abc, instanceTypes: [c7g.xlarge, c6g.xlarge], subnets: [subnet-a, subnet-b]}
                  - name: metal-gpu
                    provider: clusterapi
                    arch: amd64
                    maxSize: 4
                    instanceType: dell-r750
                    pricePerHour: 2.5
                    capacity: {cpu: "64", memory: 512Gi, pods: 250, nvidia.com/gpu: 4}
                    taints:
                      - {key: nvidia.com/gpu, effect: NoSchedule}
                    clusterapi: {namespace: metal, name: gpu-md, kind: MachineSet}
                  - name: sandbox
                    provider: simulated
                    instanceType: t4g.large
                    maxSize: 3
                    simulated: {registrationDelay: 500ms}
                scaleUp:
                  batchIdle: 2s
                  batchMax: 20s
                  maxNodesTotal: 300
                  maxCoresTotal: 2000
                  maxMemoryTotal: 8Ti
                  maxNodeProvisionTime: 1h30m
                  backoffInitial: 1m
                  backoffMax: 1h
                scaleDown:
                  enabled: false
                  utilizationThreshold: 0.65
                  unneededTime: 5m
                  delayAfterAdd: 15m
                  delayAfterFailure: 1m
                  consolidate: true
                  maxDisruptedNodes: 3
                  maxGracefulTermination: 5m
                  maxScaleDownParallelism: 2
                kafka:     {bootstrapServers: "kafka-0:9092,kafka-1:9092", groupId: scaler-prod,
                            topics: {podEvents: p, metricEvents: m, decisions: d, deadLetter: dl}, maxEventBytes: 512Ki}
                http:      {port: 9090}
                aws:
                  region: us-west-2
                  endpoints: {eks: "http://127.0.0.1:8443", ec2: "https://ec2.internal", autoscaling: "http://localhost:1"}
                leaderElection:
                  enabled: false
                  namespace: ops
                  leaseName: scaler-lock
                  leaseDuration: 30s
                  renewDeadline: 20s
                  retryPeriod: 5s
                """, "config.yaml");

        assertThat(config.cluster()).isEqualTo("prod");
        assertThat(config.nodeGroups()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("given").containsExactly(
                new NodeGroupConfig("arm-general", ProviderType.EKS, Arch.ARM64, new NodeGroupConfig.Scaling(1, 50, 200),
                        new NodeGroupConfig.NodeShape("m7g.large", 0.0816, new Resources(2000, 8 * GI, 50 * GI, 29, Map.of()),
                                Map.of("workload", "general"), List.of(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE))),
                        new ProviderSettings.Eks("prod-eks", "arm-general-ng"), NodeGroupConfig.ALL_KEYS),
                new NodeGroupConfig("x86-asg", ProviderType.ASG, Arch.AMD64, new NodeGroupConfig.Scaling(0, 20, 10),
                        new NodeGroupConfig.NodeShape("m5.large", 0.096, new Resources(1930, 7518 * MI, 20 * GI, 29, Map.of()),
                                Map.of(), List.of()),
                        new ProviderSettings.Asg("prod-x86"), NodeGroupConfig.ALL_KEYS),
                new NodeGroupConfig("fleet", ProviderType.EC2, Arch.ARM64, new NodeGroupConfig.Scaling(0, 5, 100),
                        new NodeGroupConfig.NodeShape(null, 0.0, new Resources(3500, 15 * GI, 20 * GI, 110, Map.of()),
                                Map.of(), List.of()),
                        new ProviderSettings.Ec2("lt-0abc", List.of("c7g.xlarge", "c6g.xlarge"), List.of("subnet-a", "subnet-b")), NodeGroupConfig.ALL_KEYS),
                new NodeGroupConfig("metal-gpu", ProviderType.CLUSTERAPI, Arch.AMD64, new NodeGroupConfig.Scaling(0, 4, 10),
                        new NodeGroupConfig.NodeShape("dell-r750", 2.5, new Resources(64000, 512 * GI, 20 * GI, 250, Map.of("nvidia.com/gpu", 4L)),
                                Map.of(), List.of(new Taint("nvidia.com/gpu", "", TaintEffect.NO_SCHEDULE))),
                        new ProviderSettings.ClusterApi("metal", "gpu-md", "MachineSet"), NodeGroupConfig.ALL_KEYS),
                new NodeGroupConfig("sandbox", ProviderType.SIMULATED, Arch.ARM64, new NodeGroupConfig.Scaling(0, 3, 100),
                        new NodeGroupConfig.NodeShape("t4g.large", 0.0672, new Resources(1930, (8192 - 255 - 11 * 35 - 100) * MI, 20 * GI, 35, Map.of()),
                                Map.of(), List.of()),
                        new ProviderSettings.Simulated(Duration.ofMillis(500)), NodeGroupConfig.ALL_KEYS));
        assertThat(config.scaleUp()).isEqualTo(new ScaleUpConfig(
                new ScaleUpConfig.Batching(Duration.ofSeconds(2), Duration.ofSeconds(20)),
                new ClusterLimits(300, 2000, 8L << 40),
                new ScaleUpConfig.Provisioning(Duration.ofMinutes(90), Duration.ofSeconds(2)),
                new ScaleUpConfig.Backoff(Duration.ofMinutes(1), Duration.ofHours(1)), Duration.ofMinutes(5)));
        assertThat(config.scaleDown()).isEqualTo(new ScaleDownConfig(false,
                new ScaleDownConfig.Candidates(0.65, true, NodeBudget.count(3)),
                new ScaleDownConfig.Delays(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(1)),
                new ScaleDownConfig.Removal(Duration.ofMinutes(5), 2), RestoreConfig.DEFAULTS));
        assertThat(config.kafka()).contains(new KafkaConfig("kafka-0:9092,kafka-1:9092", "scaler-prod",
                new KafkaConfig.Topics("p", "m", "d", "dl"), 512 * 1024));
        assertThat(config.http()).isEqualTo(new HttpConfig(9090));
        assertThat(config.aws()).isEqualTo(new AwsConfig(Optional.of("us-west-2"), new AwsConfig.Endpoints(
                Optional.of(URI.create("http://127.0.0.1:8443")), Optional.of(URI.create("https://ec2.internal")),
                Optional.of(URI.create("http://localhost:1")))));
        assertThat(config.leaderElection()).isEqualTo(new LeaderElectionConfig(false, "ops", "scaler-lock",
                Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(5)));
    }

    @Test
    void aGroupRemembersWhichKeysTheFileGave() {
        ArchscalerConfig config = loader.parse("""
                cluster: prod
                nodeGroups:
                  - {name: arm, provider: eks, instanceType: m7g.large, maxSize: 10, pricePerHour: 0.07,
                     labels: {team: web}}
                  - {name: x86, provider: eks, instanceType: m5.large, minSize: 1, maxSize: 10, weight: 50}
                """, "config.yaml");
        NodeGroupConfig arm = config.nodeGroups().get(0);
        NodeGroupConfig x86 = config.nodeGroups().get(1);

        assertThat(arm.given()).containsExactlyInAnyOrder("name", "provider", "instanceType", "maxSize",
                "pricePerHour", "labels");
        assertThat(arm.gave("minSize")).isFalse();
        assertThat(arm.gave("weight")).isFalse();
        assertThat(x86.gave("minSize")).isTrue();
        assertThat(x86.gave("weight")).isTrue();
        assertThat(x86.gave("pricePerHour")).isFalse();
    }

    @Test
    void discoveryDefaultsToTheConfigsClusterAndMakesNodeGroupsOptional() {
        ArchscalerConfig config = loader.parse("""
                cluster: prod
                discovery:
                  eks: {}
                  asg: {}
                  clusterapi: {}
                aws: {region: us-west-2}
                """, "config.yaml");

        assertThat(config.nodeGroups()).isEmpty();
        assertThat(config.discovery()).isEqualTo(new DiscoveryConfig(Optional.of(new DiscoveryConfig.Eks("prod")),
                Optional.of(new DiscoveryConfig.Asg("prod", List.of())),
                Optional.of(new DiscoveryConfig.ClusterApi(Optional.empty(), Arch.AMD64))));
        assertThat(config.discovery().any()).isTrue();
    }

    @Test
    void discoveryReadsEveryKey() {
        ArchscalerConfig config = loader.parse("""
                cluster: prod
                nodeGroups: []
                discovery:
                  eks: {clusterName: prod-eks}
                  asg: {tags: [k8s.io/cluster-autoscaler/enabled, team=ml]}
                  clusterapi: {namespace: metal, defaultArch: arm64}
                """, "config.yaml");

        assertThat(config.discovery()).isEqualTo(new DiscoveryConfig(Optional.of(new DiscoveryConfig.Eks("prod-eks")),
                Optional.of(new DiscoveryConfig.Asg("prod", List.of("k8s.io/cluster-autoscaler/enabled", "team=ml"))),
                Optional.of(new DiscoveryConfig.ClusterApi(Optional.of("metal"), Arch.ARM64))));
    }

    @Test
    void noDiscoveryBlockMeansNoDiscovery() {
        assertThat(loader.parse(minimal(), "config.yaml").discovery()).isEqualTo(DiscoveryConfig.NONE);
    }

    @Test
    void ec2GroupsMayNameALaunchTemplateVersion() {
        ArchscalerConfig config = loader.parse("""
                cluster: prod
                nodeGroups:
                  - name: fleet
                    provider: ec2
                    instanceType: c7g.large
                    maxSize: 3
                    ec2: {launchTemplate: arm-nodes, launchTemplateVersion: "7"}
                  - name: fleet2
                    provider: ec2
                    instanceType: c7g.large
                    maxSize: 3
                    ec2: {launchTemplate: lt-0abc}
                """, "config.yaml");

        assertThat(config.nodeGroups().get(0).settings())
                .isEqualTo(new ProviderSettings.Ec2("arm-nodes", "7", List.of("c7g.large"), List.of()));
        assertThat(config.nodeGroups().get(1).settings())
                .isEqualTo(new ProviderSettings.Ec2("lt-0abc", List.of("c7g.large"), List.of()));
    }

    @Test
    void appliesEveryDefaultToAMinimalConfig() {
        ArchscalerConfig config = loader.parse("""
                cluster: dev
                nodeGroups:
                  - name: arm
                    provider: eks
                    instanceType: m7g.large
                    maxSize: 10
                """, "config.yaml");

        NodeGroupConfig arm = config.nodeGroups().get(0);
        assertThat(arm.arch()).isEqualTo(Arch.ARM64);
        assertThat(arm.minSize()).isZero();
        assertThat(arm.weight()).isEqualTo(100);
        assertThat(arm.pricePerHour()).isEqualTo(0.0816);
        assertThat(arm.labels()).isEmpty();
        assertThat(arm.taints()).isEmpty();
        assertThat(arm.settings()).isEqualTo(new ProviderSettings.Eks("dev", "arm"));
        assertThat(config.scaleUp()).isEqualTo(new ScaleUpConfig(
                new ScaleUpConfig.Batching(Duration.ofSeconds(1), Duration.ofSeconds(10)),
                new ClusterLimits(1000, Long.MAX_VALUE, Long.MAX_VALUE),
                new ScaleUpConfig.Provisioning(Duration.ofMinutes(15), Duration.ofSeconds(2)),
                new ScaleUpConfig.Backoff(Duration.ofMinutes(5), Duration.ofMinutes(30)), Duration.ofMinutes(5)));
        assertThat(config.scaleDown()).isEqualTo(new ScaleDownConfig(true,
                new ScaleDownConfig.Candidates(0.5, false, NodeBudget.percent(10)),
                new ScaleDownConfig.Delays(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(3)),
                new ScaleDownConfig.Removal(Duration.ofSeconds(600), 10), RestoreConfig.DEFAULTS));
        assertThat(config.kafka()).isEmpty();
        assertThat(config.http()).isEqualTo(new HttpConfig(8080));
        assertThat(config.aws()).isEqualTo(new AwsConfig(Optional.empty(), new AwsConfig.Endpoints(Optional.empty(),
                Optional.empty(), Optional.empty())));
        assertThat(config.leaderElection()).isEqualTo(new LeaderElectionConfig(true, "archscaler", "archscaler",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    @Test
    void kafkaBlockGetsItsDefaults() {
        ArchscalerConfig config = loader.parse(minimal() + "kafka: {bootstrapServers: \"localhost:9092\"}\n",
                "config.yaml");
        assertThat(config.kafka()).contains(new KafkaConfig("localhost:9092", "archscaler", new KafkaConfig.Topics(
                "archscaler.pod-events", "archscaler.metric-events", "archscaler.decisions", "archscaler.dead-letter"),
                1L << 20));
    }

    @Test
    void anInterruptionQueueIsAUrlOrABlockWithTheRebalanceMode() {
        String url = "https://sqs.us-west-2.amazonaws.com/123456789012/archscaler-interruptions";
        ArchscalerConfig plain = loader.parse(minimal() + "aws: {region: us-west-2, interruptionQueue: " + url
                + ", endpoints: {sqs: \"http://127.0.0.1:9324\"}}\n", "config.yaml");
        ArchscalerConfig block = loader.parse(minimal() + "aws:\n  interruptionQueue: {url: " + url
                + ", rebalance: act}\n", "config.yaml");

        assertThat(plain.aws().interruptionQueue()).contains(new AwsConfig.InterruptionQueue(URI.create(url),
                RebalanceMode.RECORD));
        assertThat(plain.aws().endpoints().sqs()).contains(URI.create("http://127.0.0.1:9324"));
        assertThat(block.aws().interruptionQueue()).contains(new AwsConfig.InterruptionQueue(URI.create(url),
                RebalanceMode.ACT));
        assertThat(loader.parse(minimal(), "config.yaml").aws().interruptionQueue()).isEmpty();
    }

    @Test
    void emptySectionsMeanDefaults() {
        ArchscalerConfig config = loader.parse(minimal() + "scaleUp:\nscaleDown: {}\nhttp:\n", "config.yaml");
        assertThat(config.scaleUp()).isEqualTo(ScaleUpConfig.DEFAULTS);
        assertThat(config.scaleDown()).isEqualTo(ScaleDownConfig.DEFAULTS);
        assertThat(config.http()).isEqualTo(HttpConfig.DEFAULTS);
    }

    @Test
    void leaseNamespaceDefaultsToThePodsNamespace() {
        ConfigLoader inPod = new ConfigLoader(InstanceTypeCatalog.bundled(), () -> Optional.of("kube-system"));
        assertThat(inPod.parse(minimal(), "config.yaml").leaderElection().namespace()).isEqualTo("kube-system");
    }

    @Test
    void amd64GroupsDefaultToTheLowerWeight() {
        ArchscalerConfig config = loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: x86, provider: eks, instanceType: c6i.xlarge, maxSize: 10}
                  - {name: bare, provider: clusterapi, arch: amd64, maxSize: 2, capacity: {cpu: "8", memory: 32Gi}}
                """, "config.yaml");
        assertThat(config.nodeGroups()).extracting(NodeGroupConfig::weight).containsExactly(10, 10);
        assertThat(config.nodeGroups().get(1).settings()).isEqualTo(new ProviderSettings.ClusterApi("default", "bare",
                "MachineDeployment"));
    }

    @Test
    void capacityLeftOutComesFromTheCatalogLessKubeReserved() {
        ArchscalerConfig config = loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: big, provider: eks, instanceType: m6g.4xlarge, maxSize: 1}
                  - {name: gpu, provider: eks, instanceType: g5g.xlarge, maxSize: 1}
                  - {name: partial, provider: eks, instanceType: c7i.large, maxSize: 1, capacity: {cpu: 1500m}}
                """, "config.yaml");
        // 16 cores: 60 + 10 + 2×5 + 12×2.5 = 110m reserved; 65536Mi - 255Mi - 234×11Mi - 100Mi
        assertThat(config.nodeGroups().get(0).capacity())
                .isEqualTo(new Resources(15890, (65536 - 255 - 234 * 11 - 100) * MI, 20 * GI, 234, Map.of()));
        assertThat(config.nodeGroups().get(1).capacity())
                .isEqualTo(new Resources(3920, (8192 - 255 - 58 * 11 - 100) * MI, 20 * GI, 58,
                        Map.of("nvidia.com/gpu", 1L)));
        // what is given wins, the rest is derived
        assertThat(config.nodeGroups().get(2).capacity())
                .isEqualTo(new Resources(1500, (4096 - 255 - 29 * 11 - 100) * MI, 20 * GI, 29, Map.of()));
    }

    @Test
    void restoreSettingsSitUnderScaleDown() {
        ScaleDownConfig down = loader.parse(minimal() + """
                scaleDown:
                  consolidate: true
                  restore: {enabled: false, maxNodes: 2, perInterval: 6, interval: 30m, minSavingPerHour: 0.01}
                """, "c.yaml").scaleDown();

        assertThat(down.restore()).isEqualTo(new RestoreConfig(false, 2, 6, Duration.ofMinutes(30), 0.01));
        assertThat(down.restore().budget()).isEqualTo(new RestoreBudget(2, 6, Duration.ofMinutes(30), 0.01));
    }

    @Test
    void restoreDefaultsToOneNodeAtATimeFivePerHourAnySaving() {
        RestoreConfig restore = loader.parse(minimal(), "c.yaml").scaleDown().restore();

        assertThat(restore).isEqualTo(new RestoreConfig(true, 1, 5, Duration.ofHours(1), 0.0));
        assertThat(loader.parse(minimal() + "scaleDown: {restore: {}}\n", "c.yaml").scaleDown().restore())
                .isEqualTo(RestoreConfig.DEFAULTS);
    }

    @Test
    void percentagesAndCountsAreBothNodeBudgets() {
        assertThat(loader.parse(minimal() + "scaleDown: {maxDisruptedNodes: 25%}\n", "c.yaml")
                .scaleDown().maxDisruptedNodes()).isEqualTo(NodeBudget.percent(25));
        assertThat(loader.parse(minimal() + "scaleDown: {maxDisruptedNodes: \"4\"}\n", "c.yaml")
                .scaleDown().maxDisruptedNodes()).isEqualTo(NodeBudget.count(4));
        assertThat(NodeBudget.percent(10).of(5)).isEqualTo(1);
        assertThat(NodeBudget.percent(25).of(40)).isEqualTo(10);
        assertThat(NodeBudget.percent(0).of(40)).isZero();
        assertThat(NodeBudget.count(3).of(40)).isEqualTo(3);
    }

    @Test
    void toNodeGroupBuildsThePlannersViewWithWellKnownLabels() {
        NodeGroupConfig group = loader.parse("""
                cluster: dev
                nodeGroups:
                  - name: arm
                    provider: eks
                    instanceType: m7g.large
                    maxSize: 10
                    minSize: 1
                    labels: {workload: general}
                    taints: [{key: arch, value: arm64, effect: NoSchedule}]
                """, "config.yaml").nodeGroups().get(0);

        NodeGroup ng = group.toNodeGroup(3);
        assertThat(ng.name()).isEqualTo("arm");
        assertThat(ng.provider()).isEqualTo("eks");
        assertThat(ng.arch()).isEqualTo(Arch.ARM64);
        assertThat(ng.minSize()).isEqualTo(1);
        assertThat(ng.maxSize()).isEqualTo(10);
        assertThat(ng.targetSize()).isEqualTo(3);
        assertThat(ng.weight()).isEqualTo(100);
        assertThat(ng.pricePerHour()).isEqualTo(0.0816);
        assertThat(ng.template().allocatable()).isEqualTo(group.capacity());
        assertThat(ng.template().labels()).containsEntry("kubernetes.io/arch", "arm64")
                .containsEntry("node.kubernetes.io/instance-type", "m7g.large")
                .containsEntry("archscaler.io/node-group", "arm")
                .containsEntry("workload", "general");
        assertThat(ng.template().taints()).containsExactly(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE));
    }

    private static String minimal() {
        return """
                cluster: dev
                nodeGroups:
                  - {name: arm, provider: eks, instanceType: m7g.large, maxSize: 10}
                """;
    }
}
