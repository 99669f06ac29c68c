package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.testing.SandboxCluster;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.createFleetWithErrors;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeSpotPriceHistory;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.fleetError;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.spotPrice;
import static io.archscaler.providers.WiredControllerRun.createPods;
import static io.archscaler.providers.WiredControllerRun.nodeLabelOfPods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop with a real EC2 fleet provider for arm64 spot: EC2 (WireMock) answers the spot
 * fleet with HTTP 200, no instance and an {@code InsufficientInstanceCapacity} error for
 * m7g.large. The offering m7g.large/spot is then out for every group launching it (the second
 * arm64 spot group is never asked), flexible pods go to amd64 spot at once, and arm64-locked pods
 * to arm64 on-demand, never across.
 */
class SpotOfferingFallbackMockTest {
    private static final String ARCH = "kubernetes.io/arch";
    private static final String CONFIG = """
            cluster: test
            nodeGroups:
              - name: arm-spot
                provider: ec2
                instanceType: m7g.large
                capacityType: spot
                maxSize: 5
                ec2: {launchTemplate: lt-0abc1234567890def}
              - name: arm-spot-b
                provider: ec2
                instanceType: m7g.large
                capacityType: spot
                weight: 190
                maxSize: 5
                ec2: {launchTemplate: lt-0bbb1234567890def}
              - name: x86-spot
                provider: simulated
                instanceType: m6i.large
                capacityType: spot
                maxSize: 5
                simulated: {registrationDelay: 300ms}
              - name: arm-od
                provider: simulated
                instanceType: m7g.large
                maxSize: 5
                simulated: {registrationDelay: 300ms}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 1m, offeringUnavailableFor: 10m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """;

    @Test
    void aSpotCapacityErrorTakesTheOfferingOutForEveryGroupAndPodsFallBackByTheirArchs() throws Exception {
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            aws.stub(action("DescribeInstances").willReturn(xml(describeInstances())));
            aws.stub(action("DescribeSpotPriceHistory").willReturn(xml(describeSpotPriceHistory(null,
                    spotPrice("m7g.large", "us-west-2a", "0.031000", "2026-12-01T09:00:00.000Z")))));
            aws.stub(action("CreateFleet").willReturn(xml(createFleetWithErrors("spot", "m7g.large", new String[0],
                    fleetError("m7g.large", "us-west-2a", "spot", "InsufficientInstanceCapacity",
                            "There is no Spot capacity available that matches your request.")))));
            ArchscalerConfig config = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty)
                    .parse(CONFIG + aws.awsBlock(), "config.yaml");
            WiredControllerRun.run(config, cluster, metrics, decisions, client -> {
                createPods(client, "web", 3, null);
                createPods(client, "arm-only", 2, "arm64");
                await().atMost(Duration.ofSeconds(30)).until(() -> !nodeLabelOfPods(client, "web", ARCH).contains(null)
                        && !nodeLabelOfPods(client, "arm-only", ARCH).contains(null));
                await().atMost(Duration.ofSeconds(5)).until(() -> offeringsUnavailable(metrics) >= 1);
            });

            // the plan puts the flexible pods on amd64 spot and the arm64-locked ones on arm64
            // on-demand; the scheduler may then bind a flexible pod to room an arm64 node has left (a
            // displaced pod is planned again), but no pod can be on an arm64 spot node
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("x86-spot") && d.outcome() == Decision.REQUESTED)
                    .flatMap(Decision::pods).containsOnly("default/web-0", "default/web-1", "default/web-2");
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("arm-od") && d.outcome() == Decision.REQUESTED)
                    .flatMap(Decision::pods).containsOnly("default/arm-only-0", "default/arm-only-1");
            assertThat(nodeLabelOfPods(cluster.client(), "web", "archscaler.io/node-group")).hasSize(3)
                    .isSubsetOf("x86-spot", "arm-od");
            assertThat(nodeLabelOfPods(cluster.client(), "arm-only", ARCH)).containsOnly("arm64").hasSize(2);
            assertThat(nodeLabelOfPods(cluster.client(), "arm-only", "archscaler.io/node-group")).containsOnly("arm-od");
            List<Map<String, String>> fleets = aws.requests("CreateFleet");
            assertThat(fleets).as("one spot fleet, from arm-spot; arm-spot-b shares its offering and is not asked")
                    .hasSize(1);
            Map<String, String> sent = new TreeMap<>(fleets.get(0));
            assertThat(sent).containsEntry("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId",
                            "lt-0abc1234567890def")
                    .containsEntry("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m7g.large")
                    .containsEntry("LaunchTemplateConfigs.1.Overrides.2.InstanceType", "m6g.large")
                    .containsEntry("LaunchTemplateConfigs.1.Overrides.3.InstanceType", "m8g.large")
                    .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "spot")
                    .containsEntry("SpotOptions.AllocationStrategy", "price-capacity-optimized")
                    .doesNotContainKey("OnDemandOptions.AllocationStrategy");
            assertThat(decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm-spot");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("InsufficientInstanceCapacity");
            });
            assertThat(decisions).noneSatisfy(d -> assertThat(d.nodeGroup()).isEqualTo("arm-spot-b"));
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("x86-spot") && d.outcome() == Decision.REQUESTED)
                    .isNotEmpty().allSatisfy(d -> assertThat(d.reason()).contains("offering m7g.large/*/spot"));
            // the scale-up meters carry each group's capacity type
            assertThat(count(metrics, "archscaler_failed_scale_ups", "arm-spot", "spot")).isEqualTo(1.0);
            assertThat(count(metrics, "archscaler_scale_ups", "x86-spot", "spot")).isPositive();
            assertThat(count(metrics, "archscaler_scale_ups", "arm-od", "on-demand")).isPositive();
            assertThat(count(metrics, "archscaler_fallbacks", "x86-spot", "spot")).isPositive();
        }
    }

    /** The summed counter of a group with that capacity type, over its other labels; 0 when it has none. */
    private static double count(ArchscalerMetrics metrics, String name, String group, String capacityType) {
        return metrics.registry().find(name).tags("node_group", group, "capacity_type", capacityType).counters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    private static double offeringsUnavailable(ArchscalerMetrics metrics) {
        Gauge g = metrics.registry().find("archscaler_offerings_unavailable")
                .tags("arch", "arm64", "capacity_type", "spot").gauge();
        return g == null ? 0 : g.value();
    }
}
