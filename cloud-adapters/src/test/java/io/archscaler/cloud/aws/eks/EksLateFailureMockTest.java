package io.archscaler.cloud.aws.eks;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.cloud.aws.asg.SdkAutoScalingApi;
import io.archscaler.cloud.aws.ec2.SdkEc2Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeGroups;
import static io.archscaler.cloud.aws.asg.AsgXml.describeScalingActivities;
import static io.archscaler.cloud.aws.asg.AsgXml.group;
import static io.archscaler.cloud.aws.asg.AsgXml.instance;
import static io.archscaler.cloud.aws.asg.AsgXml.launchActivity;
import static io.archscaler.cloud.aws.asg.AsgXml.tags;
import static io.archscaler.cloud.aws.eks.EksJson.activeNodegroup;
import static io.archscaler.cloud.aws.eks.EksJson.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scale-up EKS accepted whose Auto Scaling group then failed to launch: {@code instances()}
 * reads the failed scaling activity of the group's Auto Scaling group, or the node group's
 * health issue when there is no launch activity, and {@code decreaseTargetSize} puts
 * {@code desiredSize} back with {@code UpdateNodegroupConfig}.
 */
class EksLateFailureMockTest {
    private static final String ARM = "/clusters/prod/node-groups/arm-general";
    private static final String ARM_ASG = "eks-arm-general-0ec9a4e2-1b2c-4d5e-8f9a-0123456789ab";
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final String VCPU = "You have requested more vCPU capacity than your current vCPU limit of 32 allows"
            + " for the instance bucket that the specified instance type belongs to. Please visit"
            + " http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. Launching EC2"
            + " instance failed.";
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private final EksProvider provider = new EksProvider(EksConfig.of("prod", List.of("arm-general")),
            new SdkEksApi(aws.clients().eks()), new SdkAutoScalingApi(aws.clients().autoScaling()),
            new SdkEc2Api(aws.clients().ec2()), TestCatalog.lookup());

    private static void nodegroupAt(int min, int desired, String issues) {
        String body = activeNodegroup("arm-general", "AL2023_ARM_64_STANDARD", "m7g.large").sizes(min, 10, desired)
                .asg(ARM_ASG).launch("").healthIssues("[" + issues + "]").json();
        aws.server().stubFor(get(urlEqualTo(ARM)).willReturn(json(body)));
    }

    private static void asgAt(int desired, String instances) {
        aws.server().stubFor(action("DescribeAutoScalingGroups").willReturn(xml(describeGroups(null, group(ARM_ASG,
                0, 10, desired, "", instances, tags(ARM_ASG, Map.of("eks:nodegroup-name", "arm-general")))))));
    }

    @Test
    void aFailedActivityOfTheNodegroupsAutoScalingGroupFailsTheWantedInstances() {
        nodegroupAt(0, 1, "");
        aws.server().stubFor(post(urlEqualTo(ARM + "/update-config")).willReturn(json(update(3))));
        provider.increaseSize("arm-general", 2).toCompletableFuture().join();
        nodegroupAt(0, 3, "");
        asgAt(3, instance(I1, "us-west-2a", "InService", "m7g.large"));
        aws.server().stubFor(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities(
                launchActivity(ARM_ASG, "Failed", VCPU, Instant.now().toString())))));

        List<Instance> instances = provider.instances("arm-general").toCompletableFuture().join();

        InstanceError error = new InstanceError(InstanceError.Kind.QUOTA, "VcpuLimitExceeded", VCPU);
        assertThat(instances).containsExactly(
                new Instance(I1, "aws:///us-west-2a/" + I1, InstanceState.RUNNING),
                new Instance("i-placeholder-arm-general-1", "", InstanceState.CREATING, error),
                new Instance("i-placeholder-arm-general-2", "", InstanceState.CREATING, error));
        assertThat(aws.requests("DescribeScalingActivities")).containsExactly(Map.of(
                "Action", "DescribeScalingActivities", "Version", "2011-01-01",
                "AutoScalingGroupName", ARM_ASG, "MaxRecords", "10"));
    }

    @Test
    void withNoLaunchActivityTheNodegroupsHealthIssueSaysWhy() {
        nodegroupAt(0, 2, "{\"code\":\"InsufficientFreeAddresses\",\"message\":\"One or more of the subnets"
                + " associated with your node group does not have enough available IP addresses for new nodes.\","
                + "\"resourceIds\":[\"subnet-0a1b2c3d\"]}");
        asgAt(2, "");
        aws.server().stubFor(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));

        assertThat(provider.instances("arm-general").toCompletableFuture().join())
                .hasSize(2)
                .allSatisfy(i -> {
                    assertThat(i.failed()).isTrue();
                    assertThat(i.error().kind()).isEqualTo(InstanceError.Kind.NETWORK);
                    assertThat(i.error().code()).isEqualTo("InsufficientFreeAddresses");
                });
    }

    @Test
    void aHealthIssueThatIsNotAboutLaunchingIsNoFailure() {
        nodegroupAt(0, 1, "{\"code\":\"PodEvictionFailure\",\"message\":\"Reached max retries while trying to evict"
                + " pods from nodes in node group arm-general\",\"resourceIds\":[\"ip-10-0-1-7.ec2.internal\"]}");
        asgAt(1, "");
        aws.server().stubFor(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));

        assertThat(provider.instances("arm-general").toCompletableFuture().join())
                .singleElement().satisfies(i -> assertThat(i.failed()).isFalse());
    }

    @Test
    void decreaseTargetSizeSetsDesiredSizeLowerNeverBelowTheLiveInstances() {
        nodegroupAt(0, 3, "");
        asgAt(3, instance(I1, "us-west-2a", "InService", "m7g.large"));
        aws.server().stubFor(post(urlEqualTo(ARM + "/update-config")).willReturn(json(update(1))));

        provider.decreaseTargetSize("arm-general", 4).toCompletableFuture().join();

        aws.server().verify(1, postRequestedFor(urlEqualTo(ARM + "/update-config"))
                .withRequestBody(equalToJson("{\"clientRequestToken\":\"${json-unit.any-string}\","
                        + "\"scalingConfig\":{\"minSize\":0,\"maxSize\":10,\"desiredSize\":1}}")));
    }
}
