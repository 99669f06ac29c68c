package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.ec2.Ec2Xml;
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
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
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
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        Vertx vertx = Vertx.vertx();
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            aws.stub(action("DescribeInstances").willReturn(xml(describeInstances())));
            aws.stub(action("CreateFleet").willReturn(xml(Ec2Xml.createFleet(new String[0],
                    "InsufficientInstanceCapacity", "We currently do not have sufficient m7g.large capacity in the"
                            + " Availability Zone you requested (us-west-2a)."))));
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
                    createFlexiblePods(client, "web", 4);
                    await().atMost(Duration.ofSeconds(30)).until(() -> !archOfPods(client, "web").contains(null));
                } finally {
                    controller.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                }
            }

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
        } finally {
            executor.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private static void createFlexiblePods(KubernetesClient client, String workload, int count) {
        for (int i = 0; i < count; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName(workload + "-" + i)
                    .withCreationTimestamp(Instant.now().toString())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(workload)
                    .withUid("u-" + workload).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("example/" + workload).withNewResources()
                    .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build();
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    /** The arch of the node each pod of the workload is bound to (null while unbound). */
    private static List<String> archOfPods(KubernetesClient client, String workload) {
        List<String> out = new ArrayList<>();
        for (Pod p : client.pods().inNamespace("default").list().getItems()) {
            if (!p.getMetadata().getName().startsWith(workload + "-")) {
                continue;
            }
            String node = p.getSpec().getNodeName();
            out.add(node == null ? null : client.nodes().withName(node).get().getMetadata().getLabels()
                    .get("kubernetes.io/arch"));
        }
        return out;
    }
}
