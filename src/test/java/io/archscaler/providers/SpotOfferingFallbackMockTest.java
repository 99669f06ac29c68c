package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.observability.MetricsObservers;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SandboxScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.createFleetWithErrors;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeSpotPriceHistory;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.fleetError;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.spotPrice;
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
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        Vertx vertx = Vertx.vertx();
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
            KubernetesClient client = cluster.client();
            try (ProviderSet providers = new ProviderFactory(client, executor, 1.0)
                    .withAwsCredentials(AwsWireMock.FAKE_CREDENTIALS)
                    .withObserver(MetricsObservers.providerCalls(metrics))
                    .build(config)) {
                KubeTranslation kube = new KubeTranslation(providers.membership());
                SandboxScheduler scheduler = new SandboxScheduler(client,
                        new SandboxScheduler.Translation(kube::pendingPod, kube::requests, kube::node), Clock.systemUTC());
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        scheduler.schedulePass();
                    } catch (RuntimeException e) {
                        // the next pass tries again
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                Controller controller = new Controller(vertx, config, Controller.Parts.builder(cluster.newClient(), kube, metrics)
                        .providers(providers.byGroup(), providers.openCircuits())
                        .decisionSinks(List.of(decisions::add))
                        .identity("c0")
                        .build());
                controller.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                try {
                    createPods(client, "web", 3, null);
                    createPods(client, "arm-only", 2, "arm64");
                    await().atMost(Duration.ofSeconds(30)).until(() -> allBound(client));
                    await().atMost(Duration.ofSeconds(5)).until(() -> offeringsUnavailable(metrics) >= 1);
                } finally {
                    controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                }
            }

            // the plan puts the flexible pods on amd64 spot; the scheduler may then bind some to free
            // room the arm64 on-demand nodes have left, but none can be on an arm64 spot node
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("x86-spot") && d.outcome() == Decision.REQUESTED)
                    .flatMap(Decision::pods).containsExactlyInAnyOrder("default/web-0", "default/web-1", "default/web-2");
            assertThat(decisions).filteredOn(d -> d.nodeGroup().equals("arm-od") && d.outcome() == Decision.REQUESTED)
                    .flatMap(Decision::pods).containsExactlyInAnyOrder("default/arm-only-0", "default/arm-only-1");
            assertThat(nodeLabelOfPods(cluster.client(), "web", "archscaler.io/node-group")).hasSize(3)
                    .isSubsetOf("x86-spot", "arm-od");
            assertThat(nodeLabelOfPods(cluster.client(), "arm-only", "kubernetes.io/arch")).containsOnly("arm64")
                    .hasSize(2);
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
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private static double offeringsUnavailable(ArchscalerMetrics metrics) {
        Gauge g = metrics.registry().find("archscaler_offerings_unavailable")
                .tags("arch", "arm64", "capacity_type", "spot").gauge();
        return g == null ? 0 : g.value();
    }

    private static void createPods(KubernetesClient client, String workload, int count, String arch) {
        for (int i = 0; i < count; i++) {
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus();
            if (arch != null) {
                pod.editSpec().addToNodeSelector("kubernetes.io/arch", arch).endSpec();
            }
            client.pods().inNamespace("default").resource(pod.build()).create();
        }
    }

    private static boolean allBound(KubernetesClient client) {
        return client.pods().inNamespace("default").list().getItems().stream()
                .allMatch(p -> p.getSpec().getNodeName() != null);
    }

    /** One label of the node each pod of the workload is bound to. */
    private static List<String> nodeLabelOfPods(KubernetesClient client, String workload, String label) {
        return client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(workload + "-"))
                .map(Pod::getSpec)
                .map(s -> client.nodes().withName(s.getNodeName()).get().getMetadata().getLabels().get(label))
                .toList();
    }
}
