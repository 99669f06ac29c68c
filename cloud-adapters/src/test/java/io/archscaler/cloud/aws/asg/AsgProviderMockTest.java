package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.autoScalingError;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeGroups;
import static io.archscaler.cloud.aws.asg.AsgXml.describeLaunchConfigurations;
import static io.archscaler.cloud.aws.asg.AsgXml.group;
import static io.archscaler.cloud.aws.asg.AsgXml.instance;
import static io.archscaler.cloud.aws.asg.AsgXml.launchConfiguration;
import static io.archscaler.cloud.aws.asg.AsgXml.launchTemplate;
import static io.archscaler.cloud.aws.asg.AsgXml.mixedInstances;
import static io.archscaler.cloud.aws.asg.AsgXml.setDesiredCapacity;
import static io.archscaler.cloud.aws.asg.AsgXml.tags;
import static io.archscaler.cloud.aws.asg.AsgXml.terminateInstance;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.launchTemplateVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsgProviderMockTest {
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final String I2 = "i-0ddd3333eeee4444f";
    private static final String TAG = "k8s.io/cluster-autoscaler/node-template/";
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private AsgProvider provider() {
        return new AsgProvider(AsgConfig.discoverByTags("prod"), new SdkAutoScalingApi(aws.clients().autoScaling()),
                new SdkEc2Api(aws.clients().ec2()), TestCatalog.lookup());
    }

    private static Map<String, String> clusterTags(Map<String, String> more) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("k8s.io/cluster-autoscaler/enabled", "true");
        tags.put("k8s.io/cluster-autoscaler/prod", "owned");
        tags.putAll(more);
        return tags;
    }

    private static String armSpot(int min, int max, int desired, String instances) {
        return group("arm-spot", min, max, desired, mixedInstances("lt-0arm0000000000001", 0, "m7g.large", "c7g.large"),
                instances, tags("arm-spot", clusterTags(Map.of(
                        TAG + "label/workload", "batch",
                        TAG + "taint/dedicated", "batch:NoSchedule",
                        TAG + "resources/ephemeral-storage", "100Gi"))));
    }

    /** Answers DescribeAutoScalingGroups by name with {@code group}. */
    private void groupNamed(String name, String group) {
        aws.server().stubFor(action("DescribeAutoScalingGroups")
                .withFormParam("AutoScalingGroupNames.member.1", equalTo(name))
                .willReturn(xml(describeGroups(null, group))));
    }

    @Test
    void discoversTheClustersTaggedGroupsAcrossPagesWithTemplatesFromTheirTags() {
        aws.server().stubFor(action("DescribeAutoScalingGroups").withFormParam("NextToken", absent())
                .willReturn(xml(describeGroups("asg-page-2",
                        armSpot(0, 20, 3, ""),
                        group("x86-lt", 1, 5, 1, launchTemplate("lt-0x86000000000001", "x86-nodes", "$Latest"), "",
                                tags("x86-lt", clusterTags(Map.of())))))));
        aws.server().stubFor(action("DescribeAutoScalingGroups").withFormParam("NextToken", equalTo("asg-page-2"))
                .willReturn(xml(describeGroups(null,
                        group("x86-lc", 0, 3, 0, launchConfiguration("legacy-lc"), "",
                                tags("x86-lc", clusterTags(Map.of(TAG + "label/kubernetes.io/arch", "amd64")))),
                        group("gpu-tags", 0, 2, 0, launchTemplate("lt-0gpu000000000001", "gpu-nodes", "4"), "",
                                tags("gpu-tags", clusterTags(Map.of(
                                        TAG + "label/kubernetes.io/arch", "arm64",
                                        TAG + "resources/cpu", "8",
                                        TAG + "resources/memory", "30Gi",
                                        TAG + "resources/pods", "110",
                                        TAG + "resources/nvidia.com/gpu", "1")))),
                        group("bad-taint", 0, 2, 0, mixedInstances("lt-0arm0000000000001", "m7g.large"), "",
                                tags("bad-taint", clusterTags(Map.of(TAG + "taint/dedicated", "NoSchedule"))))))));
        aws.server().stubFor(action("DescribeLaunchTemplateVersions")
                .withFormParam("LaunchTemplateId", equalTo("lt-0x86000000000001"))
                .willReturn(xml(launchTemplateVersion("lt-0x86000000000001", "x86-nodes", 7, "c5.xlarge"))));
        aws.server().stubFor(action("DescribeLaunchTemplateVersions")
                .withFormParam("LaunchTemplateId", equalTo("lt-0gpu000000000001"))
                .willReturn(xml(launchTemplateVersion("lt-0gpu000000000001", "gpu-nodes", 4, "x9g.custom"))));
        aws.server().stubFor(action("DescribeLaunchConfigurations")
                .willReturn(xml(describeLaunchConfigurations("legacy-lc", "m5.large"))));

        List<NodeGroup> groups = provider().nodeGroups().toCompletableFuture().join();

        assertThat(groups).extracting(NodeGroup::name).containsExactly("arm-spot", "x86-lt", "x86-lc", "gpu-tags");

        NodeGroup arm = groups.get(0);
        assertThat(arm.provider()).isEqualTo("asg");
        assertThat(arm.arch()).isEqualTo(Arch.ARM64);
        assertThat(arm.instanceType()).isEqualTo("m7g.large");
        // OnDemandPercentageAboveBaseCapacity 0: what a scale-up adds is spot
        assertThat(arm.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(arm.weight()).isEqualTo(200);
        assertThat(List.of(arm.minSize(), arm.maxSize(), arm.targetSize())).containsExactly(0, 20, 3);
        Resources m7g = NodeAllocatable.of(TestCatalog.M7G_LARGE, 0);
        assertThat(arm.template().allocatable()).isEqualTo(new Resources(m7g.cpuMillis(), m7g.memoryBytes(),
                100L << 30, m7g.pods(), Map.of()));
        assertThat(arm.template().labels()).containsEntry("workload", "batch")
                .containsEntry("kubernetes.io/arch", "arm64").containsEntry("archscaler.io/node-group", "arm-spot");
        assertThat(arm.template().taints()).containsExactly(new Taint("dedicated", "batch", TaintEffect.NO_SCHEDULE));

        NodeGroup lt = groups.get(1);
        assertThat(lt.arch()).isEqualTo(Arch.AMD64);
        assertThat(lt.instanceType()).isEqualTo("c5.xlarge");
        assertThat(lt.weight()).isEqualTo(10);
        assertThat(lt.capacityType()).isEqualTo(CapacityType.ON_DEMAND);

        NodeGroup lc = groups.get(2);
        assertThat(lc.arch()).isEqualTo(Arch.AMD64);
        assertThat(lc.instanceType()).isEqualTo("m5.large");

        NodeGroup gpu = groups.get(3);
        assertThat(gpu.arch()).isEqualTo(Arch.ARM64);
        assertThat(gpu.instanceType()).isNull();
        assertThat(gpu.template().allocatable()).isEqualTo(new Resources(8000, 30L << 30, 0, 110,
                Map.of("nvidia.com/gpu", 1L)));

        Map<String, String> firstPage = Map.of("Action", "DescribeAutoScalingGroups", "Version", "2011-01-01",
                "Filters.member.1.Name", "tag-key",
                "Filters.member.1.Values.member.1", "k8s.io/cluster-autoscaler/enabled",
                "Filters.member.2.Name", "tag-key",
                "Filters.member.2.Values.member.1", "k8s.io/cluster-autoscaler/prod",
                "MaxRecords", "100");
        Map<String, String> secondPage = new HashMap<>(firstPage);
        secondPage.put("NextToken", "asg-page-2");
        assertThat(aws.requests("DescribeAutoScalingGroups")).containsExactly(firstPage, secondPage);
        assertThat(aws.requests("DescribeLaunchTemplateVersions")).contains(Map.of(
                "Action", "DescribeLaunchTemplateVersions", "Version", "2016-11-15",
                "LaunchTemplateId", "lt-0x86000000000001", "LaunchTemplateVersion.1", "$Latest"));
        assertThat(aws.requests("DescribeLaunchConfigurations")).containsExactly(Map.of(
                "Action", "DescribeLaunchConfigurations", "Version", "2011-01-01",
                "LaunchConfigurationNames.member.1", "legacy-lc"));
    }

    @Test
    void increaseSizeSetsTheDesiredCapacity() {
        groupNamed("arm-spot", armSpot(0, 20, 3, ""));
        aws.server().stubFor(action("SetDesiredCapacity").willReturn(xml(setDesiredCapacity())));

        provider().increaseSize("arm-spot", 2).toCompletableFuture().join();

        assertThat(aws.requests("SetDesiredCapacity")).containsExactly(Map.of(
                "Action", "SetDesiredCapacity", "Version", "2011-01-01",
                "AutoScalingGroupName", "arm-spot", "DesiredCapacity", "5", "HonorCooldown", "false"));
    }

    @Test
    void increaseSizeRefusesToGoAboveMaxSize() {
        groupNamed("arm-spot", armSpot(0, 4, 3, ""));

        assertThatThrownBy(() -> provider().increaseSize("arm-spot", 2).toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("arm-spot wants 3 nodes; 2 more would exceed maxSize 4");
        assertThat(aws.requests("SetDesiredCapacity")).isEmpty();
    }

    @Test
    void deleteNodesTerminatesTheNodesOwnInstanceAndDecrementsTheGroup() {
        groupNamed("arm-spot", armSpot(0, 20, 2, instance(I1, "us-west-2a", "InService", "m7g.large")
                + instance(I2, "us-west-2b", "InService", "c7g.large")));
        aws.server().stubFor(action("TerminateInstanceInAutoScalingGroup")
                .willReturn(xml(terminateInstance("arm-spot", I1))));

        provider().deleteNodes("arm-spot", List.of(new NodeRef("ip-10-0-1-5", "aws:///us-west-2a/" + I1)))
                .toCompletableFuture().join();

        assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).containsExactly(Map.of(
                "Action", "TerminateInstanceInAutoScalingGroup", "Version", "2011-01-01",
                "InstanceId", I1, "ShouldDecrementDesiredCapacity", "true"));
    }

    @Test
    void deleteNodesRefusesANodeWhoseProviderIdIsNoEc2Instance() {
        groupNamed("arm-spot", armSpot(0, 20, 2, instance(I1, "us-west-2a", "InService", "m7g.large")));

        assertThatThrownBy(() -> provider().deleteNodes("arm-spot",
                List.of(new NodeRef("fargate-ip-10-0-1-9", "aws:///us-west-2a/fargate-ip-10-0-1-9")))
                .toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("names no EC2 instance");
        assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).isEmpty();
    }

    @Test
    void instancesCarryTheirProviderIdAndLifecycleState() {
        groupNamed("arm-spot", armSpot(0, 20, 2, instance(I1, "us-west-2a", "InService", "m7g.large")
                + instance(I2, "us-west-2b", "Pending", "c7g.large")));

        assertThat(provider().instances("arm-spot").toCompletableFuture().join()).containsExactly(
                new Instance(I1, "aws:///us-west-2a/" + I1, InstanceState.RUNNING),
                new Instance(I2, "aws:///us-west-2b/" + I2, InstanceState.CREATING));
    }

    @Test
    void aGroupWithoutTheClusterTagIsNotFound() {
        groupNamed("other-cluster", group("other-cluster", 0, 5, 1, launchConfiguration("lc"), "",
                tags("other-cluster", Map.of("k8s.io/cluster-autoscaler/enabled", "true",
                        "k8s.io/cluster-autoscaler/staging", "owned"))));

        assertThatThrownBy(() -> provider().increaseSize("other-cluster", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOf(NodeGroupNotFoundException.class)
                .hasMessageContaining("other-cluster");
        assertThat(aws.requests("SetDesiredCapacity")).isEmpty();
    }

    @Test
    void aGroupAutoScalingDoesNotHaveIsNotFound() {
        aws.server().stubFor(action("DescribeAutoScalingGroups").willReturn(xml(describeGroups(null))));

        assertThatThrownBy(() -> provider().instances("gone").toCompletableFuture().join())
                .cause()
                .isInstanceOf(NodeGroupNotFoundException.class);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> retryable={3}")
    @CsvSource({
            "400, Sender,   Throttling,          true",
            "400, Sender,   ResourceContention,  true",
            "503, Receiver, ServiceUnavailable,  true",
            "400, Sender,   ValidationError,     false",
    })
    void autoScalingErrorsAreCloudApiErrorsRetryableForThrottlingAndServerFaultsAfterOneRequest(
            int status, String type, String code, boolean retryable) {
        groupNamed("arm-spot", armSpot(0, 20, 3, ""));
        aws.server().stubFor(action("SetDesiredCapacity").willReturn(autoScalingError(status, type, code,
                "refused for the test")));

        assertThatThrownBy(() -> provider().increaseSize("arm-spot", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.operation()).isEqualTo("SetDesiredCapacity");
                });
        assertThat(aws.requests("SetDesiredCapacity")).hasSize(1);
    }
}
