package io.archscaler.cloud.aws;

import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceError.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Auto Scaling status messages and EKS health issues, as AWS words them, read as typed launch errors. */
class LaunchErrorsTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            CAPACITY|InsufficientInstanceCapacity|We currently do not have sufficient m7g.large capacity in the Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.
            CAPACITY|InsufficientInstanceCapacity|There is no Spot capacity available that matches your request. Launching EC2 instance failed.
            CAPACITY|MaxSpotInstanceCountExceeded|Max spot instance count exceeded. Placing Spot request failed.
            QUOTA|VcpuLimitExceeded|You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Launching EC2 instance failed.
            QUOTA|InstanceLimitExceeded|You have requested more instances (21) than your current instance limit of 20 allows for the specified instance type. Launching EC2 instance failed.
            NETWORK|InsufficientFreeAddressesInSubnet|There are not enough free addresses in subnet 'subnet-0a1b2c3d' to satisfy the requested number of instances. Launching EC2 instance failed.
            CONFIGURATION|InvalidAMIID.NotFound|The image id '[ami-0123456789abcdef0]' does not exist. Launching EC2 instance failed.
            CONFIGURATION|InvalidLaunchTemplateId.NotFound|The specified launch template, with template ID lt-0123456789abcdef0, does not exist. Launching EC2 instance failed.
            CONFIGURATION|InvalidParameterValue|Value (eks-node-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name. Launching EC2 instance failed.
            CONFIGURATION|Unsupported|The requested configuration is currently not supported. Please check the documentation for supported configurations. Launching EC2 instance failed.
            OTHER|LaunchFailed|Client.InternalError: Client error on launch. Launching EC2 instance failed.
            """)
    void statusMessages(Kind kind, String code, String message) {
        assertThat(LaunchErrors.fromStatusMessage(message)).isEqualTo(new InstanceError(kind, code, message));
    }

    @Test
    void asgInstanceLaunchFailuresCarriesEc2sOwnReason() {
        String message = "Could not launch On-Demand Instances. InsufficientInstanceCapacity - We currently do not"
                + " have sufficient m7g.large capacity in the Availability Zone you requested (us-west-2a)."
                + " Launching EC2 instance failed.";

        assertThat(LaunchErrors.fromNodegroupIssue("AsgInstanceLaunchFailures", message)).contains(
                new InstanceError(Kind.CAPACITY, "InsufficientInstanceCapacity", message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            InsufficientFreeAddresses|NETWORK
            InstanceLimitExceeded|QUOTA
            Ec2LaunchTemplateNotFound|CONFIGURATION
            AmiIdNotFound|CONFIGURATION
            NodeCreationFailure|OTHER
            """)
    void nodegroupIssuesAboutLaunching(String code, Kind kind) {
        assertThat(LaunchErrors.fromNodegroupIssue(code, "as EKS reports it")).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void nodegroupIssuesNotAboutLaunchingAreNoLaunchError() {
        assertThat(LaunchErrors.fromNodegroupIssue("PodEvictionFailure", "Reached max retries")).isEmpty();
        assertThat(LaunchErrors.fromNodegroupIssue("AutoScalingGroupRateLimitExceeded", "Rate exceeded")).isEmpty();
    }
}
