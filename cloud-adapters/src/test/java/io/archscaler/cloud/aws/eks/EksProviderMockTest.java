package io.archscaler.cloud.aws.eks;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.cloud.aws.asg.SdkAutoScalingApi;
import io.archscaler.cloud.aws.ec2.Ec2InstanceTypes;
import io.archscaler.cloud.aws.ec2.Ec2Xml;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.cloud.resilience.ResilientNodeGroupProvider;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.eksError;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeGroups;
import static io.archscaler.cloud.aws.asg.AsgXml.group;
import static io.archscaler.cloud.aws.asg.AsgXml.instance;
import static io.archscaler.cloud.aws.asg.AsgXml.launchTemplate;
import static io.archscaler.cloud.aws.asg.AsgXml.tags;
import static io.archscaler.cloud.aws.asg.AsgXml.terminateInstance;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.launchTemplateVersion;
import static io.archscaler.cloud.aws.eks.EksJson.activeNodegroup;
import static io.archscaler.cloud.aws.eks.EksJson.listNodegroups;
import static io.archscaler.cloud.aws.eks.EksJson.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EksProviderMockTest {
    private static final String ARM = "/clusters/prod/node-groups/arm-general";
    private static final String ARM_ASG = "eks-arm-general-0ec9a4e2-1b2c-4d5e-8f9a-0123456789ab";
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final String I2 = "i-0ddd3333eeee4444f";
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private EksProvider provider(EksConfig config) {
        return new EksProvider(config, new SdkEksApi(aws.clients().eks()),
                new SdkAutoScalingApi(aws.clients().autoScaling()), new SdkEc2Api(aws.clients().ec2()),
                TestCatalog.lookup());
    }

    private EksProvider provider() {
        return provider(EksConfig.discoverAll("prod"));
    }

    private static String armGroup(String status, int min, int max, int desired) {
        return activeNodegroup("arm-general", "AL2023_ARM_64_STANDARD", "m7g.large").status(status)
                .labels("{\"workload\":\"general\"}")
                .taints("[{\"key\":\"arch\",\"value\":\"arm64\",\"effect\":\"NO_SCHEDULE\"}]")
                .sizes(min, max, desired).asg(ARM_ASG).json();
    }

    private List<LoggedRequest> eksRequests(String method) {
        return aws.server().findAll(("GET".equals(method) ? getRequestedFor(urlPathMatching("/clusters/.*"))
                        : postRequestedFor(urlPathMatching("/clusters/.*")))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    @Test
    void discoversArm64AndAmd64ManagedNodeGroupsWithTheirLabelsTaintsAndCapacityAcrossPages() {
        aws.server().stubFor(get(urlPathEqualTo("/clusters/prod/node-groups")).withQueryParam("nextToken", absent())
                .willReturn(json(listNodegroups("page-2", "arm-general", "x86-legacy"))));
        aws.server().stubFor(get(urlPathEqualTo("/clusters/prod/node-groups"))
                .withQueryParam("nextToken", equalTo("page-2"))
                .willReturn(json(listNodegroups(null, "custom-graviton"))));
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 0, 10, 2))));
        aws.server().stubFor(get(urlEqualTo("/clusters/prod/node-groups/x86-legacy")).willReturn(json(
                activeNodegroup("x86-legacy", "AL2_x86_64", "m5.large").capacityType("SPOT")
                        .instanceTypes("[\"m5.large\",\"m5a.large\"]")
                        .taints("[{\"key\":\"dedicated\",\"value\":\"legacy\",\"effect\":\"NO_EXECUTE\"},"
                                + "{\"key\":\"spot\",\"effect\":\"PREFER_NO_SCHEDULE\"}]")
                        .sizes(1, 4, 1).asg("eks-x86-legacy-1").launch(",\"diskSize\":50").json())));
        // the launch template names the type, so EKS reports no instanceTypes
        aws.server().stubFor(get(urlEqualTo("/clusters/prod/node-groups/custom-graviton")).willReturn(json(
                activeNodegroup("custom-graviton", "CUSTOM", "c7g.xlarge").instanceTypes("null")
                        .labels("{\"team\":\"ml\"}").sizes(0, 3, 0).asg("eks-custom-graviton-1")
                        .launch(",\"launchTemplate\":{\"name\":\"graviton-nodes\",\"version\":\"2\","
                                + "\"id\":\"lt-0abc1234567890def\"}").json())));
        aws.server().stubFor(action("DescribeLaunchTemplateVersions").willReturn(xml(
                launchTemplateVersion("lt-0abc1234567890def", "graviton-nodes", 2, "c7g.xlarge"))));

        List<NodeGroup> groups = provider().nodeGroups().toCompletableFuture().join();

        assertThat(groups).extracting(NodeGroup::name).containsExactly("arm-general", "x86-legacy", "custom-graviton");
        NodeGroup arm = groups.get(0);
        assertThat(arm.provider()).isEqualTo("eks");
        assertThat(arm.arch()).isEqualTo(Arch.ARM64);
        assertThat(List.of(arm.minSize(), arm.maxSize(), arm.targetSize())).containsExactly(0, 10, 2);
        assertThat(arm.weight()).isEqualTo(100);
        assertThat(arm.capacityType()).isEqualTo(CapacityType.ON_DEMAND);
        assertThat(arm.instanceType()).isEqualTo("m7g.large");
        assertThat(arm.pricePerHour()).isEqualTo(0.0816);
        assertThat(arm.template().allocatable()).isEqualTo(NodeAllocatable.of(TestCatalog.M7G_LARGE, 20L << 30));
        assertThat(arm.template().labels()).containsAllEntriesOf(Map.of(
                "kubernetes.io/arch", "arm64", "kubernetes.io/os", "linux",
                "node.kubernetes.io/instance-type", "m7g.large", "archscaler.io/node-group", "arm-general",
                "eks.amazonaws.com/nodegroup", "arm-general", "eks.amazonaws.com/capacityType", "ON_DEMAND",
                "workload", "general"));
        assertThat(arm.template().taints()).containsExactly(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE));

        NodeGroup x86 = groups.get(1);
        assertThat(x86.arch()).isEqualTo(Arch.AMD64);
        // a SPOT managed node group: amd64 spot's default weight, above the on-demand groups
        assertThat(x86.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(x86.weight()).isEqualTo(150);
        assertThat(x86.instanceType()).isEqualTo("m5.large");
        assertThat(List.of(x86.minSize(), x86.maxSize(), x86.targetSize())).containsExactly(1, 4, 1);
        assertThat(x86.template().labels()).containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("eks.amazonaws.com/capacityType", "SPOT");
        assertThat(x86.template().taints()).containsExactly(
                new Taint("dedicated", "legacy", TaintEffect.NO_EXECUTE),
                new Taint("spot", "", TaintEffect.PREFER_NO_SCHEDULE));

        NodeGroup custom = groups.get(2);
        assertThat(custom.arch()).isEqualTo(Arch.ARM64);
        assertThat(custom.instanceType()).isEqualTo("c7g.xlarge");
        assertThat(custom.targetSize()).isZero();
        assertThat(custom.template().allocatable().cpuMillis()).isEqualTo(4000 - 80);
        assertThat(custom.template().labels()).containsEntry("team", "ml").containsEntry("kubernetes.io/arch", "arm64");

        assertThat(eksRequests("GET")).extracting(LoggedRequest::getUrl).containsExactlyInAnyOrder(
                "/clusters/prod/node-groups?maxResults=100",
                "/clusters/prod/node-groups?maxResults=100&nextToken=page-2",
                ARM, "/clusters/prod/node-groups/x86-legacy", "/clusters/prod/node-groups/custom-graviton");
        assertThat(aws.requests("DescribeLaunchTemplateVersions")).containsExactly(Map.of(
                "Action", "DescribeLaunchTemplateVersions", "Version", "2016-11-15",
                "LaunchTemplateId", "lt-0abc1234567890def", "LaunchTemplateVersion.1", "2"));
    }

    @Test
    void aCustomAmiGroupTakesItsArchAndCapacityFromEc2WhenTheCatalogDoesNotKnowItsType() {
        aws.server().stubFor(get(urlEqualTo("/clusters/prod/node-groups/graviton4")).willReturn(json(
                activeNodegroup("graviton4", "CUSTOM", "m8g.xlarge").sizes(0, 6, 1).asg("eks-graviton4-1").launch("")
                        .json())));
        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(xml(Ec2Xml.describeInstanceTypes(null,
                Ec2Xml.instanceType("m8g.xlarge", "arm64", 4, 16384, 4, 15, 0)))));
        EksProvider provider = EksProvider.create(EksConfig.of("prod", List.of("graviton4")), aws.clients(),
                TestCatalog.lookup().orElse(Ec2InstanceTypes.create(aws.clients())));

        List<NodeGroup> groups = provider.nodeGroups().toCompletableFuture().join();

        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.arch()).isEqualTo(Arch.ARM64);
            assertThat(g.instanceType()).isEqualTo("m8g.xlarge");
            assertThat(g.template().allocatable().pods()).isEqualTo(58);
            assertThat(g.template().allocatable().cpuMillis()).isEqualTo(4000 - 80);
            assertThat(g.template().labels()).containsEntry("kubernetes.io/arch", "arm64");
        });
        assertThat(aws.requests("DescribeInstanceTypes")).containsExactly(Map.of(
                "Action", "DescribeInstanceTypes", "Version", "2016-11-15",
                "InstanceType.1", "m8g.xlarge", "MaxResults", "100"));
    }

    @Test
    void increaseSizeRaisesDesiredSizeAndKeepsMinAndMax() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 1, 10, 2))));
        aws.server().stubFor(post(urlEqualTo(ARM + "/update-config")).willReturn(json(update(5))));

        provider().increaseSize("arm-general", 3).toCompletableFuture().join();

        aws.server().verify(1, postRequestedFor(urlEqualTo(ARM + "/update-config"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"clientRequestToken\":\"${json-unit.any-string}\","
                        + "\"scalingConfig\":{\"minSize\":1,\"maxSize\":10,\"desiredSize\":5}}")));
        assertThat(eksRequests("GET")).hasSize(1);
    }

    @Test
    void increaseSizeRefusesToGoAboveMaxSizeAndSendsNoUpdate() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 0, 10, 9))));

        assertThatThrownBy(() -> provider().increaseSize("arm-general", 2).toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("arm-general wants 9 nodes; 2 more would exceed maxSize 10");
        assertThat(eksRequests("POST")).isEmpty();
    }

    @Test
    void anUpdatingGroupFailsRetryableWithoutAnUpdate() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("UPDATING", 0, 10, 2))));

        assertThatThrownBy(() -> provider().increaseSize("arm-general", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorCode()).isEqualTo("ResourceInUseException");
                });
        assertThat(eksRequests("GET")).hasSize(1);
        assertThat(eksRequests("POST")).isEmpty();
    }

    @Test
    void resourceInUseFromTheUpdateIsRetryableAndTheResilienceDecoratorRetriesIt() throws Exception {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 0, 10, 2))));
        aws.server().stubFor(post(urlEqualTo(ARM + "/update-config")).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(eksError(409, "ResourceInUseException", "Nodegroup arm-general is currently UPDATING"))
                .willSetStateTo("free"));
        aws.server().stubFor(post(urlEqualTo(ARM + "/update-config")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(json(update(3))));

        assertThatThrownBy(() -> provider().increaseSize("arm-general", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorCode()).isEqualTo("ResourceInUseException");
                });
        assertThat(eksRequests("POST")).as("the provider itself does not retry").hasSize(1);

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            ResiliencePolicy policy = ResiliencePolicy.defaults().withBackoff(
                    new ResiliencePolicy.Backoff(3, Duration.ofMillis(20), 2.0, 0.0, Duration.ofMillis(100)));
            new ResilientNodeGroupProvider(provider(), policy, scheduler).increaseSize("arm-general", 1)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(eksRequests("POST")).as("one more attempt, by the decorator, which succeeds").hasSize(2);
    }

    @Test
    void deleteNodesTerminatesTheNodesInstanceInTheGroupsAutoScalingGroupAndLowersItsSize() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 0, 10, 2))));
        aws.server().stubFor(action("DescribeAutoScalingGroups").willReturn(xml(describeGroups(null, group(ARM_ASG,
                0, 10, 2, launchTemplate("lt-0abc1234567890def", "eks-arm", "1"),
                instance(I1, "us-west-2a", "InService", "m7g.large")
                        + instance(I2, "us-west-2b", "InService", "m7g.large"),
                tags(ARM_ASG, Map.of("eks:nodegroup-name", "arm-general")))))));
        aws.server().stubFor(action("TerminateInstanceInAutoScalingGroup")
                .willReturn(xml(terminateInstance(ARM_ASG, I2))));

        provider().deleteNodes("arm-general", List.of(new NodeRef("ip-10-0-2-7.us-west-2.compute.internal",
                "aws:///us-west-2b/" + I2))).toCompletableFuture().join();

        assertThat(aws.requests("DescribeAutoScalingGroups")).containsExactly(Map.of(
                "Action", "DescribeAutoScalingGroups", "Version", "2011-01-01",
                "AutoScalingGroupNames.member.1", ARM_ASG, "MaxRecords", "100"));
        assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).containsExactly(Map.of(
                "Action", "TerminateInstanceInAutoScalingGroup", "Version", "2011-01-01",
                "InstanceId", I2, "ShouldDecrementDesiredCapacity", "true"));
    }

    @Test
    void deleteNodesRefusesToGoBelowMinSize() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 2, 10, 2))));
        aws.server().stubFor(action("DescribeAutoScalingGroups").willReturn(xml(describeGroups(null, group(ARM_ASG,
                2, 10, 2, "", instance(I1, "us-west-2a", "InService", "m7g.large")
                        + instance(I2, "us-west-2b", "InService", "m7g.large"), "")))));

        assertThatThrownBy(() -> provider().deleteNodes("arm-general",
                List.of(new NodeRef("n2", "aws:///us-west-2b/" + I2))).toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("would go below minSize 2");
        assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).isEmpty();
    }

    @Test
    void instancesComeFromTheGroupsAutoScalingGroup() {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(armGroup("ACTIVE", 0, 10, 2))));
        aws.server().stubFor(action("DescribeAutoScalingGroups").willReturn(xml(describeGroups(null, group(ARM_ASG,
                0, 10, 2, "", instance(I1, "us-west-2a", "InService", "m7g.large")
                        + instance(I2, "us-west-2b", "Pending", "m7g.large"), "")))));

        List<Instance> instances = provider().instances("arm-general").toCompletableFuture().join();

        assertThat(instances).containsExactly(
                new Instance(I1, "aws:///us-west-2a/" + I1, InstanceState.RUNNING),
                new Instance(I2, "aws:///us-west-2b/" + I2, InstanceState.CREATING));
    }

    @ParameterizedTest(name = "{0} {1} -> retryable={2}")
    @CsvSource({
            "429, ThrottlingException,        true",
            "400, TooManyRequestsException,   true",
            "503, ServiceUnavailableException, true",
            "500, ServerException,            true",
            "400, InvalidParameterException,  false",
            "403, AccessDeniedException,      false",
    })
    void apiErrorsAreCloudApiErrorsRetryableOnlyForThrottlingAnd5xxAfterExactlyOneRequest(int status, String code,
                                                                                          boolean retryable) {
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(eksError(status, code, "refused for the test")));

        assertThatThrownBy(() -> provider().increaseSize("arm-general", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.provider()).isEqualTo("eks");
                });
        assertThat(eksRequests("GET")).hasSize(1);
    }

    @Test
    void aNodeGroupEksDoesNotKnowIsNodeGroupNotFound() {
        aws.server().stubFor(get(urlEqualTo("/clusters/prod/node-groups/gone")).willReturn(
                eksError(404, "ResourceNotFoundException", "No node group found for name: gone.")));

        assertThatThrownBy(() -> provider().increaseSize("gone", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOf(NodeGroupNotFoundException.class)
                .hasMessageContaining("gone");
    }

    @Test
    void aGroupOutsideTheConfiguredNamesIsNotFoundWithoutAnyRequest() {
        EksProvider provider = provider(EksConfig.of("prod", List.of("arm-general")));

        assertThatThrownBy(() -> provider.increaseSize("x86-legacy", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOf(NodeGroupNotFoundException.class);
        assertThat(aws.server().getAllServeEvents()).isEmpty();
    }
}
