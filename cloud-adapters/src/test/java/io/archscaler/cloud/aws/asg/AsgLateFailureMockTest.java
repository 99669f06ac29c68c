package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeGroups;
import static io.archscaler.cloud.aws.asg.AsgXml.describeScalingActivities;
import static io.archscaler.cloud.aws.asg.AsgXml.group;
import static io.archscaler.cloud.aws.asg.AsgXml.instance;
import static io.archscaler.cloud.aws.asg.AsgXml.launchActivity;
import static io.archscaler.cloud.aws.asg.AsgXml.mixedInstances;
import static io.archscaler.cloud.aws.asg.AsgXml.setDesiredCapacity;
import static io.archscaler.cloud.aws.asg.AsgXml.tags;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scale-up an Auto Scaling group accepted and then failed to launch: {@code instances()} shows
 * the wanted instances as placeholders carrying the failed activity's reason, and
 * {@code decreaseTargetSize} puts the desired capacity back, never below the live instances.
 */
class AsgLateFailureMockTest {
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final String NO_CAPACITY = "We currently do not have sufficient m7g.large capacity in the"
            + " Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional"
            + " capacity. You can currently get m7g.large capacity by not specifying an Availability Zone in your"
            + " request or choosing us-west-2b, us-west-2c. Launching EC2 instance failed.";
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private final AsgProvider provider = new AsgProvider(AsgConfig.discoverByTags("prod"),
            new SdkAutoScalingApi(aws.clients().autoScaling()), new SdkEc2Api(aws.clients().ec2()),
            TestCatalog.lookup());

    private static void groupAt(int min, int desired, String instances) {
        aws.server().stubFor(action("DescribeAutoScalingGroups").withFormParam("AutoScalingGroupNames.member.1",
                equalTo("arm")).willReturn(xml(describeGroups(null, group("arm", min, 20, desired,
                mixedInstances("lt-0arm0000000000001", "m7g.large"), instances, tags("arm", Map.of(
                        "k8s.io/cluster-autoscaler/enabled", "true", "k8s.io/cluster-autoscaler/prod", "owned")))))));
    }

    private static void activities(String... members) {
        aws.server().stubFor(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities(members))));
    }

    @Test
    void aFailedLaunchAfterTheScaleUpMarksTheWantedInstancesAsFailedWithEc2sReason() {
        groupAt(0, 1, instance(I1, "us-west-2a", "InService", "m7g.large"));
        aws.server().stubFor(action("SetDesiredCapacity").willReturn(xml(setDesiredCapacity())));
        provider.increaseSize("arm", 2).toCompletableFuture().join();
        groupAt(0, 3, instance(I1, "us-west-2a", "InService", "m7g.large"));
        activities(launchActivity("arm", "Failed", NO_CAPACITY, Instant.now().toString()),
                launchActivity("arm", "Successful", null, "2025-01-15T10:00:00Z"));

        List<Instance> instances = provider.instances("arm").toCompletableFuture().join();

        InstanceError error = new InstanceError(InstanceError.Kind.CAPACITY, "InsufficientInstanceCapacity",
                NO_CAPACITY);
        assertThat(instances).containsExactly(
                new Instance(I1, "aws:///us-west-2a/" + I1, InstanceState.RUNNING),
                new Instance("i-placeholder-arm-1", "", InstanceState.CREATING, error),
                new Instance("i-placeholder-arm-2", "", InstanceState.CREATING, error));
        assertThat(error.toException("asg", "arm")).isInstanceOf(InsufficientCapacityException.class);
        assertThat(aws.requests("DescribeScalingActivities")).containsExactly(Map.of(
                "Action", "DescribeScalingActivities", "Version", "2011-01-01",
                "AutoScalingGroupName", "arm", "MaxRecords", "10"));
    }

    @Test
    void aFailureFromBeforeTheScaleUpDoesNotCount() {
        groupAt(0, 1, "");
        aws.server().stubFor(action("SetDesiredCapacity").willReturn(xml(setDesiredCapacity())));
        provider.increaseSize("arm", 1).toCompletableFuture().join();
        groupAt(0, 2, "");
        activities(launchActivity("arm", "Failed", NO_CAPACITY, "2025-01-15T10:00:00Z"));

        assertThat(provider.instances("arm").toCompletableFuture().join())
                .hasSize(2).allSatisfy(i -> assertThat(i.failed()).isFalse());
    }

    @Test
    void anInProgressLaunchIsNoFailure() {
        groupAt(0, 2, instance(I1, "us-west-2a", "Pending", "m7g.large"));
        activities(launchActivity("arm", "InProgress", null, Instant.now().toString()));

        assertThat(provider.instances("arm").toCompletableFuture().join()).extracting(Instance::state, Instance::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InstanceState.CREATING, null),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.CREATING, null));
    }

    @Test
    void aGroupWithAllItsInstancesAsksForNoActivities() {
        groupAt(0, 1, instance(I1, "us-west-2a", "InService", "m7g.large"));

        assertThat(provider.instances("arm").toCompletableFuture().join()).hasSize(1);
        assertThat(aws.requests("DescribeScalingActivities")).isEmpty();
    }

    @Test
    void decreaseTargetSizeLowersTheDesiredCapacityWithoutCooldownNeverBelowTheLiveInstances() {
        groupAt(0, 3, instance(I1, "us-west-2a", "InService", "m7g.large"));
        aws.server().stubFor(action("SetDesiredCapacity").willReturn(xml(setDesiredCapacity())));

        provider.decreaseTargetSize("arm", 5).toCompletableFuture().join();

        assertThat(aws.requests("SetDesiredCapacity")).containsExactly(Map.of(
                "Action", "SetDesiredCapacity", "Version", "2011-01-01",
                "AutoScalingGroupName", "arm", "DesiredCapacity", "1", "HonorCooldown", "false"));
    }

    @Test
    void decreaseTargetSizeKeepsMinSizeAndSendsNothingWhenThereIsNothingToLower() {
        groupAt(2, 2, instance(I1, "us-west-2a", "InService", "m7g.large"));

        provider.decreaseTargetSize("arm", 1).toCompletableFuture().join();

        assertThat(aws.requests("SetDesiredCapacity")).isEmpty();
    }
}
