package io.archscaler.providers;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.asg.AsgXml;
import io.archscaler.cloud.aws.ec2.Ec2Xml;
import io.archscaler.cloud.aws.eks.EksJson;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.cloud.resilience.CircuitOpenException;
import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.ConfigLoader;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.eksError;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wired factory against AWS wire formats on loopback: mapping, discovery, metering, retries and circuits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderFactoryMockTest {
    static final ResiliencePolicy FAST = ResiliencePolicy.defaults()
            .withBackoff(new ResiliencePolicy.Backoff(4, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(100)))
            .withCircuit(new ResiliencePolicy.Circuit(3, Duration.ofMinutes(1), 1))
            .withCallsPerSecond(1000)
            .withCallTimeout(Duration.ofSeconds(10));
    private static final String ARM_NG = "/clusters/prod/node-groups/arm-ng-2024";

    record Call(String provider, String operation, String nodeGroup, String outcome) {
    }

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private AwsWireMock aws;
    private ScheduledExecutorService scheduler;

    @BeforeAll
    void startAws() {
        aws = AwsWireMock.start();
    }

    @AfterAll
    void stopAws() {
        aws.close();
    }

    @BeforeEach
    void start() {
        aws.server().resetAll();
        calls.clear();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private ProviderSet build(String yaml) {
        ArchscalerConfig config = loader.parse(yaml + aws.awsBlock(), "config.yaml");
        return new ProviderFactory(null, scheduler, 1.0).withPolicy(FAST)
                .withAwsCredentials(AwsWireMock.FAKE_CREDENTIALS)
                .withObserver((p, op, g, outcome, d) -> calls.add(new Call(p, op, g, outcome)))
                .build(config);
    }

    private static Map.Entry<NodeGroup, NodeGroupProvider> only(ProviderSet set) {
        assertThat(set.byGroup()).hasSize(1);
        return set.byGroup().entrySet().iterator().next();
    }

    private void armNodegroup(int min, int max, int desired) {
        aws.stub(get(urlPathEqualTo(ARM_NG)).willReturn(json(EksJson.activeNodegroup("arm-ng-2024",
                "AL2023_ARM_64_STANDARD", "m7g.large").labels("{\"workload\":\"general\"}")
                .sizes(min, max, desired).json())));
    }

    @Test
    void aConfiguredEksGroupIsScaledByItsEksNameAndThrottlingIsRetriedUntilItSucceeds() {
        armNodegroup(0, 10, 2);
        aws.stub(post(urlPathEqualTo(ARM_NG + "/update-config")).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(eksError(429, "ThrottlingException", "Rate exceeded")).willSetStateTo("throttled"));
        aws.stub(post(urlPathEqualTo(ARM_NG + "/update-config")).inScenario("throttle").whenScenarioStateIs("throttled")
                .willReturn(json(EksJson.update(5))));

        try (ProviderSet set = build("""
                cluster: prod
                nodeGroups:
                  - name: arm
                    provider: eks
                    instanceType: m7g.large
                    maxSize: 8
                    eks: {nodegroupName: arm-ng-2024}
                """)) {
            Map.Entry<NodeGroup, NodeGroupProvider> arm = only(set);
            assertThat(arm.getKey().name()).isEqualTo("arm");
            assertThat(arm.getKey().targetSize()).isEqualTo(2);
            assertThat(arm.getKey().maxSize()).isEqualTo(8);
            assertThat(set.membership().groupOf(Map.of("eks.amazonaws.com/nodegroup", "arm-ng-2024"))).contains("arm");

            arm.getValue().increaseSize("arm", 3).toCompletableFuture().join();
        }

        List<LoggedRequest> updates = aws.eksPosts(ARM_NG + "/update-config");
        assertThat(updates).hasSize(2);
        assertThat(updates).allSatisfy(r -> assertThat(equalToJson(
                "{\"scalingConfig\":{\"minSize\":0,\"maxSize\":10,\"desiredSize\":5}}", false, true)
                .match(r.getBodyAsString()).isExactMatch()).isTrue());
        // one describe to discover, one before each of the two attempts
        assertThat(aws.eksGets(ARM_NG)).hasSize(3);
        assertThat(calls).containsExactly(new Call("eks", "nodeGroups", "", "success"),
                new Call("eks", "increaseSize", "arm", "ThrottlingException"),
                new Call("eks", "increaseSize", "arm", "success"));
    }

    @Test
    void threeInsufficientCapacityErrorsOpenTheGroupsCircuitAndTheFourthScaleUpSendsNothing() {
        aws.stub(action("DescribeInstances").willReturn(xml(describeInstances())));
        aws.stub(action("CreateFleet").willReturn(xml(Ec2Xml.createFleet(new String[0],
                "InsufficientInstanceCapacity", "We currently do not have sufficient m7g.large capacity."))));

        try (ProviderSet set = build("""
                cluster: prod
                nodeGroups:
                  - name: arm-fleet
                    provider: ec2
                    instanceType: m7g.large
                    maxSize: 5
                    ec2: {launchTemplate: lt-0abc1234567890def}
                """)) {
            NodeGroupProvider fleet = only(set).getValue();
            for (int i = 0; i < 3; i++) {
                assertThat(set.openCircuits().get()).isEmpty();
                assertThatThrownBy(() -> fleet.increaseSize("arm-fleet", 2).toCompletableFuture().join())
                        .isInstanceOf(CompletionException.class).cause()
                        .isInstanceOf(InsufficientCapacityException.class);
            }
            assertThat(set.openCircuits().get()).containsExactly("arm-fleet");

            assertThatThrownBy(() -> fleet.increaseSize("arm-fleet", 2).toCompletableFuture().join())
                    .cause().isInstanceOf(CircuitOpenException.class);
        }
        assertThat(aws.requests("CreateFleet")).hasSize(3);
        assertThat(calls.stream().filter(c -> c.operation().equals("increaseSize")).map(Call::outcome))
                .containsExactly("InsufficientCapacity", "InsufficientCapacity", "InsufficientCapacity");
    }

    @Test
    void discoveredEksGroupsJoinTheConfiguredOnesAndAConfiguredNameWins() {
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups"))
                .willReturn(json(EksJson.listNodegroups(null, "arm-ng-2024", "x86-batch", "arm"))));
        armNodegroup(0, 10, 2);
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/x86-batch")).willReturn(json(EksJson.activeNodegroup(
                "x86-batch", "AL2_x86_64", "m6i.large")
                .taints("[{\"key\":\"batch\",\"value\":\"true\",\"effect\":\"NO_SCHEDULE\"}]").sizes(0, 4, 1).json())));
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/arm")).willReturn(json(EksJson.activeNodegroup("arm",
                "AL2023_ARM_64_STANDARD", "m7g.large").sizes(0, 3, 3).json())));

        try (ProviderSet set = build("""
                cluster: prod
                nodeGroups:
                  - name: arm
                    provider: eks
                    instanceType: m7g.large
                    maxSize: 8
                    eks: {nodegroupName: arm-ng-2024}
                discovery:
                  eks: {clusterName: prod}
                """)) {
            List<NodeGroup> groups = List.copyOf(set.byGroup().keySet());
            assertThat(groups).extracting(NodeGroup::name).containsExactly("arm", "x86-batch");
            assertThat(groups.get(0).targetSize()).as("the configured arm is EKS's arm-ng-2024").isEqualTo(2);
            assertThat(set.discovered("arm")).isFalse();
            assertThat(set.discovered("x86-batch")).isTrue();
            NodeGroup x86 = groups.get(1);
            assertThat(x86.arch()).isEqualTo(Arch.AMD64);
            assertThat(x86.weight()).isEqualTo(10);
            assertThat(x86.pricePerHour()).isEqualTo(0.096);
            assertThat(x86.template().taints()).extracting(Object::toString).containsExactly("batch=true:NoSchedule");
            assertThat(set.byGroup().get(groups.get(0))).isSameAs(set.byGroup().get(x86));
        }
    }

    @Test
    void asgDiscoveryByTagsKeepsOnlyTheGroupsWhoseTagValuesMatch() {
        aws.stub(action("DescribeAutoScalingGroups").withFormParam("Filters.member.1.Name", equalTo("tag-key"))
                .willReturn(xml(AsgXml.describeGroups(null, 
                        AsgXml.templateGroup("ml-arm", "m7g.large", 0, 6, 1,
                                Map.of("k8s.io/cluster-autoscaler/enabled", "true", "team", "ml")),
                        AsgXml.templateGroup("web-x86", "m5.large", 0, 6, 1,
                                Map.of("k8s.io/cluster-autoscaler/enabled", "true", "team", "web"))))));
        aws.stub(action("DescribeAutoScalingGroups").withFormParam("AutoScalingGroupNames.member.1", equalTo("ml-arm"))
                .willReturn(xml(AsgXml.describeGroups(null, AsgXml.templateGroup("ml-arm", "m7g.large", 0, 6, 1,
                        Map.of("k8s.io/cluster-autoscaler/enabled", "true", "team", "ml"))))));

        try (ProviderSet set = build("""
                cluster: prod
                discovery:
                  asg: {tags: [k8s.io/cluster-autoscaler/enabled, team=ml]}
                """)) {
            NodeGroup ml = only(set).getKey();
            assertThat(ml.name()).isEqualTo("ml-arm");
            assertThat(ml.provider()).isEqualTo("asg");
            assertThat(ml.arch()).isEqualTo(Arch.ARM64);
            assertThat(ml.targetSize()).isEqualTo(1);
            assertThat(set.discovered("ml-arm")).isTrue();
        }
        List<Map<String, String>> sent = aws.requests("DescribeAutoScalingGroups");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).containsEntry("Filters.member.1.Values.member.1", "k8s.io/cluster-autoscaler/enabled")
                .containsEntry("Filters.member.2.Values.member.1", "team");
        assertThat(sent.get(1)).containsEntry("AutoScalingGroupNames.member.1", "ml-arm")
                .doesNotContainKey("AutoScalingGroupNames.member.2");
    }

    @Test
    void aConfiguredGroupTheProviderDoesNotHaveFailsTheBuildNamingIt() {
        aws.stub(action("DescribeAutoScalingGroups").willReturn(xml(AsgXml.describeGroups(null))));

        assertThatThrownBy(() -> build("""
                cluster: prod
                nodeGroups:
                  - name: x86
                    provider: asg
                    instanceType: m5.large
                    maxSize: 4
                    asg: {name: prod-x86}
                """))
                .isInstanceOf(ProviderException.class)
                .hasMessage("asg nodeGroups: node group x86: no Auto Scaling group prod-x86 (or its instance type is"
                        + " unknown; see the warnings above)");
    }

    @Test
    void aNameDiscoveredByTwoProvidersIsRefused() {
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups")).willReturn(json(EksJson.listNodegroups(null, "shared"))));
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/shared")).willReturn(json(EksJson.activeNodegroup("shared",
                "AL2_x86_64", "m5.large").sizes(0, 3, 0).json())));
        aws.stub(action("DescribeAutoScalingGroups").willReturn(xml(AsgXml.describeGroups(null, AsgXml.templateGroup(
                "shared", "m5.large", 0, 3, 0, Map.of("k8s.io/cluster-autoscaler/enabled", "true",
                        "k8s.io/cluster-autoscaler/prod", "owned"))))));

        assertThatThrownBy(() -> build("""
                cluster: prod
                discovery:
                  eks: {}
                  asg: {}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("node group name shared is discovered by both eks and asg; list one of them under"
                        + " nodeGroups with a name of its own");
    }

    @Test
    void twoConfiguredGroupsNamingOneEksNodeGroupAreRefused() {
        assertThatThrownBy(() -> build("""
                cluster: prod
                nodeGroups:
                  - {name: a, provider: eks, instanceType: m7g.large, maxSize: 3, eks: {nodegroupName: ng}}
                  - {name: b, provider: eks, instanceType: m7g.large, maxSize: 3, eks: {nodegroupName: ng}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("node groups a and b both name EKS node group ng in cluster prod; give each its own");
    }

    @Test
    void simulatedGroupsAreGuardedTooSoTheirCircuitsOpenInTheSandbox() {
        try (ProviderSet set = build("""
                cluster: sandbox
                nodeGroups:
                  - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 3}
                """)) {
            set.simulated().orElseThrow().setCapacityShortage("arm", true);
            NodeGroupProvider arm = only(set).getValue();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> arm.increaseSize("arm", 1).toCompletableFuture().join())
                        .cause().isInstanceOf(InsufficientCapacityException.class);
            }
            assertThat(set.openCircuits().get()).containsExactly("arm");
            assertThat(set.simulated().orElseThrow().scaleUpCalls("arm")).isEqualTo(3);
        }
        assertThat(aws.server().getAllServeEvents()).as("no AWS call for simulated groups").isEmpty();
    }
}
