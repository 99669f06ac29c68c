package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.ec2Error;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.createFleet;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.instance;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.terminateInstances;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ec2FleetProviderMockTest {
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final String I2 = "i-0ddd3333eeee4444f";
    private static final String I3 = "i-0123456789abcdef0";
    private static final Map<String, String> DESCRIBE_LIVE = Map.of(
            "Action", "DescribeInstances", "Version", "2016-11-15",
            "Filter.1.Name", "tag:archscaler.io/node-group", "Filter.1.Value.1", "arm-fleet",
            "Filter.2.Name", "tag:archscaler.io/cluster", "Filter.2.Value.1", "prod",
            "Filter.3.Name", "instance-state-name", "Filter.3.Value.1", "pending", "Filter.3.Value.2", "running");
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private Ec2FleetProvider provider() {
        FleetGroup arm = new FleetGroup("arm-fleet", Arch.ARM64, 0, 5,
                FleetLaunchTemplate.byId("lt-0abc1234567890def", "3"),
                List.of("m7g.large", "c7g.large", "m5.large"), List.of(), Map.of("workload", "batch"),
                List.of(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE)), CapacityType.ON_DEMAND);
        return new Ec2FleetProvider(new Ec2FleetConfig("prod", List.of(arm)), new SdkEc2Api(aws.clients().ec2()),
                TestCatalog.lookup());
    }

    private void liveInstances(String... instances) {
        aws.server().stubFor(action("DescribeInstances").willReturn(xml(describeInstances(instances))));
    }

    @Test
    void aGroupsSizeIsItsPendingAndRunningTaggedInstancesAndItsTemplateComesFromTheFirstTypeOfItsArch() {
        liveInstances(instance(I1, "running", "us-west-2a"), instance(I2, "pending", "us-west-2b"));

        List<NodeGroup> groups = provider().nodeGroups().toCompletableFuture().join();

        assertThat(groups).hasSize(1);
        NodeGroup g = groups.get(0);
        assertThat(g.name()).isEqualTo("arm-fleet");
        assertThat(g.provider()).isEqualTo("ec2");
        assertThat(g.arch()).isEqualTo(Arch.ARM64);
        assertThat(g.targetSize()).isEqualTo(2);
        assertThat(g.minSize()).isZero();
        assertThat(g.maxSize()).isEqualTo(5);
        assertThat(g.instanceType()).isEqualTo("m7g.large");
        assertThat(g.pricePerHour()).isEqualTo(0.0816);
        assertThat(g.template().allocatable()).isEqualTo(NodeAllocatable.of(TestCatalog.M7G_LARGE, 0));
        assertThat(g.template().labels()).containsEntry("kubernetes.io/arch", "arm64")
                .containsEntry("workload", "batch").containsEntry("archscaler.io/node-group", "arm-fleet");
        assertThat(g.template().taints()).containsExactly(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE));
        assertThat(aws.requests("DescribeInstances")).containsExactly(DESCRIBE_LIVE);
    }

    @Test
    void increaseSizeLaunchesAnInstantFleetOverTheGroupsArm64TypesTaggedWithTheGroup() {
        liveInstances(instance(I1, "running", "us-west-2a"));
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleet(new String[]{I2, I3}, null, null))));

        provider().increaseSize("arm-fleet", 2).toCompletableFuture().join();

        Map<String, String> expected = new TreeMap<>();
        expected.put("Action", "CreateFleet");
        expected.put("Version", "2016-11-15");
        expected.put("Type", "instant");
        expected.put("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId", "lt-0abc1234567890def");
        expected.put("LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "3");
        expected.put("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m7g.large");
        expected.put("LaunchTemplateConfigs.1.Overrides.2.InstanceType", "c7g.large");
        expected.put("TargetCapacitySpecification.TotalTargetCapacity", "2");
        expected.put("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand");
        expected.put("OnDemandOptions.AllocationStrategy", "lowest-price");
        expected.put("TagSpecification.1.ResourceType", "instance");
        expected.put("TagSpecification.1.Tag.1.Key", "archscaler.io/node-group");
        expected.put("TagSpecification.1.Tag.1.Value", "arm-fleet");
        expected.put("TagSpecification.1.Tag.2.Key", "archscaler.io/cluster");
        expected.put("TagSpecification.1.Tag.2.Value", "prod");
        assertThat(aws.requests("CreateFleet")).hasSize(1);
        Map<String, String> sent = new TreeMap<>(aws.requests("CreateFleet").get(0));
        // The SDK fills the idempotency token itself, a fresh UUID per call.
        assertThat(sent.remove("ClientToken")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void createFleetRefusedForInsufficientInstanceCapacityIsInsufficientCapacity() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(ec2Error(400, "InsufficientInstanceCapacity",
                "We currently do not have sufficient m7g.large capacity in the Availability Zone you requested.")));

        assertThatThrownBy(() -> provider().increaseSize("arm-fleet", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(InsufficientCapacityException.class, e -> {
                    assertThat(e.nodeGroup()).isEqualTo("arm-fleet");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("InsufficientInstanceCapacity");
                });
        assertThat(aws.requests("CreateFleet")).hasSize(1);
    }

    @Test
    void createFleetAnsweringOkWithAnErrorSetAndFewerInstancesIsInsufficientCapacity() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleet(new String[]{I1},
                "InsufficientInstanceCapacity", "There is no Spot capacity available that matches your request."))));

        assertThatThrownBy(() -> provider().increaseSize("arm-fleet", 3).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(InsufficientCapacityException.class, e -> assertThat(e.getMessage())
                        .contains("launched 1 of 3").contains(I1).contains("InsufficientInstanceCapacity"));
    }

    @Test
    void createFleetAnsweringOkWithANonCapacityErrorIsACloudApiErrorWithThatCode() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleet(new String[]{},
                "InvalidLaunchTemplateId.NotFound", "The specified launch template does not exist."))));

        assertThatThrownBy(() -> provider().increaseSize("arm-fleet", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidLaunchTemplateId.NotFound");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void increaseSizeRefusesToGoAboveMaxSizeAndLaunchesNothing() {
        liveInstances(instance(I1, "running", "us-west-2a"), instance(I2, "running", "us-west-2a"),
                instance(I3, "running", "us-west-2b"), instance("i-0fff5555aaaa6666b", "pending", "us-west-2b"));

        assertThatThrownBy(() -> provider().increaseSize("arm-fleet", 2).toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("arm-fleet has 4 instances; 2 more would exceed maxSize 5");
        assertThat(aws.requests("CreateFleet")).isEmpty();
    }

    @Test
    void deleteNodesTerminatesTheNodesOwnInstances() {
        liveInstances(instance(I1, "running", "us-west-2a"), instance(I2, "running", "us-west-2b"));
        aws.server().stubFor(action("TerminateInstances").willReturn(xml(terminateInstances(I2))));

        provider().deleteNodes("arm-fleet", List.of(new NodeRef("ip-10-0-2-9", "aws:///us-west-2b/" + I2)))
                .toCompletableFuture().join();

        assertThat(aws.requests("TerminateInstances")).containsExactly(Map.of(
                "Action", "TerminateInstances", "Version", "2016-11-15", "InstanceId.1", I2));
    }

    @Test
    void deleteNodesRefusesAnInstanceThatIsNotInTheGroup() {
        liveInstances(instance(I1, "running", "us-west-2a"), instance(I2, "running", "us-west-2b"));

        assertThatThrownBy(() -> provider().deleteNodes("arm-fleet",
                List.of(new NodeRef("other", "aws:///us-west-2a/" + I3))).toCompletableFuture().join())
                .cause()
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining(I3 + " is not a live instance of node group arm-fleet");
        assertThat(aws.requests("TerminateInstances")).isEmpty();
    }

    @Test
    void instancesCarryTheirProviderIdAndState() {
        liveInstances(instance(I1, "running", "us-west-2a"), instance(I2, "pending", "us-west-2b"));

        List<Instance> instances = provider().instances("arm-fleet").toCompletableFuture().join();

        assertThat(instances).containsExactly(
                new Instance(I1, "aws:///us-west-2a/" + I1, InstanceState.RUNNING),
                new Instance(I2, "aws:///us-west-2b/" + I2, InstanceState.CREATING));
    }

    @Test
    void throttledDescribeIsARetryableCloudApiErrorAfterExactlyOneRequest() {
        aws.server().stubFor(action("DescribeInstances").willReturn(ec2Error(503, "RequestLimitExceeded",
                "Request limit exceeded.")));

        assertThatThrownBy(() -> provider().increaseSize("arm-fleet", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorCode()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.operation()).isEqualTo("CreateFleet");
                });
        assertThat(aws.queryRequestCount()).isEqualTo(1);
    }

    @Test
    void aGroupThatIsNotConfiguredIsNotFoundWithoutAnyRequest() {
        assertThatThrownBy(() -> provider().increaseSize("x86-fleet", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOf(NodeGroupNotFoundException.class)
                .hasMessageContaining("x86-fleet");
        assertThat(aws.queryRequestCount()).isZero();
    }
}
