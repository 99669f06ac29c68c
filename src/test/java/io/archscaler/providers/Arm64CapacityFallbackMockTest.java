package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.ec2.Ec2Xml;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static io.archscaler.providers.WiredControllerRun.createPods;
import static io.archscaler.providers.WiredControllerRun.nodeLabelOfPods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop with a real EC2 fleet provider for arm64: the controller asks EC2 for arm64
 * capacity through the wired factory, EC2 (WireMock, its own wire format) answers
 * {@code InsufficientInstanceCapacity}, and flexible pods fall back to the amd64 group at once.
 */
class Arm64CapacityFallbackMockTest {
    private static final String LAUNCH_TEMPLATE = "lt-0abc1234567890def";
    private static final String CONFIG = """
            cluster: test
            nodeGroups:
              - name: arm
                provider: ec2
                instanceType: m7g.large
                maxSize: 5
                ec2: {launchTemplate: %s}
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: 5
                simulated: {registrationDelay: 300ms}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 1m, backoffInitial: 5m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """.formatted(LAUNCH_TEMPLATE);

    @Test
    void flexiblePodsFallBackToAmd64AfterOneUnretriedCreateFleetRefusedForInsufficientInstanceCapacity()
            throws Exception {
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            aws.stub(action("DescribeInstances").willReturn(xml(describeInstances())));
            aws.stub(action("CreateFleet").willReturn(xml(Ec2Xml.createFleet(new String[0],
                    "InsufficientInstanceCapacity", "We currently do not have sufficient m7g.large capacity in the"
                            + " Availability Zone you requested (us-west-2a)."))));
            ArchscalerConfig config = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty)
                    .parse(CONFIG + aws.awsBlock(), "config.yaml");
            WiredControllerRun.run(config, cluster, metrics, decisions, client -> {
                createPods(client, "web", 4, null);
                await().atMost(Duration.ofSeconds(30)).until(() -> !archOfPods(client, "web").contains(null));
            });

            assertThat(archOfPods(cluster.client(), "web")).containsOnly("amd64").hasSize(4);
            List<Map<String, String>> fleets = aws.requests("CreateFleet");
            assertThat(fleets).as("capacity errors are not retried").hasSize(1);
            Map<String, String> sent = new TreeMap<>(fleets.get(0));
            assertThat(sent.remove("ClientToken")).matches("[0-9a-f-]{36}");
            assertThat(sent).isEqualTo(new TreeMap<>(Map.ofEntries(
                    Map.entry("Action", "CreateFleet"),
                    Map.entry("Version", "2016-11-15"),
                    Map.entry("Type", "instant"),
                    Map.entry("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId", LAUNCH_TEMPLATE),
                    Map.entry("LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "$Default"),
                    Map.entry("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m7g.large"),
                    // four 500m pods: three fit a m7g.large (1930m allocatable), so two nodes
                    Map.entry("TargetCapacitySpecification.TotalTargetCapacity", "2"),
                    Map.entry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand"),
                    Map.entry("OnDemandOptions.AllocationStrategy", "lowest-price"),
                    Map.entry("TagSpecification.1.ResourceType", "instance"),
                    Map.entry("TagSpecification.1.Tag.1.Key", "archscaler.io/node-group"),
                    Map.entry("TagSpecification.1.Tag.1.Value", "arm"),
                    Map.entry("TagSpecification.1.Tag.2.Key", "archscaler.io/cluster"),
                    Map.entry("TagSpecification.1.Tag.2.Value", "test"))));
            assertThat(decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("InsufficientInstanceCapacity");
            });
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("x86") && d.outcome() == Decision.REQUESTED)
                    .isNotEmpty().allSatisfy(d -> {
                        assertThat(d.isFallback()).isTrue();
                        assertThat(d.reason()).startsWith("fallback: ");
                    });
            assertThat(metrics.registry().find("archscaler_cloud_api_calls")
                    .tags("provider", "ec2", "operation", "increaseSize", "outcome", "InsufficientCapacity")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    /** The arch of the node each pod of the workload is bound to (null while unbound). */
    private static List<String> archOfPods(KubernetesClient client, String workload) {
        return nodeLabelOfPods(client, workload, "kubernetes.io/arch");
    }
}
