package io.archscaler.cloud.aws;

import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceError.Kind;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads why EC2 instances failed to launch from what AWS reports after accepting a scale-up: an
 * Auto Scaling activity's {@code StatusMessage} (EC2's error message, sometimes prefixed with its
 * code) and an EKS node group's {@code health.issues} codes. The phrases are those of the Auto
 * Scaling troubleshooting guide and EC2's error codes; what is not recognised is
 * {@link Kind#OTHER}, still a failure.
 */
public final class LaunchErrors {
    /** A phrase of the status message (lower case), the EC2 code it stands for, and its kind; first match wins. */
    private record Phrase(String text, String code, Kind kind) {
    }

    private static final List<Phrase> PHRASES = List.of(
            new Phrase("insufficientinstancecapacity", "InsufficientInstanceCapacity", Kind.CAPACITY),
            new Phrase("do not have sufficient", "InsufficientInstanceCapacity", Kind.CAPACITY),
            new Phrase("no spot capacity available", "InsufficientInstanceCapacity", Kind.CAPACITY),
            new Phrase("unfulfillablecapacity", "UnfulfillableCapacity", Kind.CAPACITY),
            new Phrase("maxspotinstancecountexceeded", "MaxSpotInstanceCountExceeded", Kind.CAPACITY),
            new Phrase("max spot instance count exceeded", "MaxSpotInstanceCountExceeded", Kind.CAPACITY),
            new Phrase("spotmaxpricetoolow", "SpotMaxPriceTooLow", Kind.CAPACITY),
            new Phrase("vcpulimitexceeded", "VcpuLimitExceeded", Kind.QUOTA),
            new Phrase("vcpu limit", "VcpuLimitExceeded", Kind.QUOTA),
            new Phrase("instancelimitexceeded", "InstanceLimitExceeded", Kind.QUOTA),
            new Phrase("than your current instance limit", "InstanceLimitExceeded", Kind.QUOTA),
            new Phrase("insufficientfreeaddressesinsubnet", "InsufficientFreeAddressesInSubnet", Kind.NETWORK),
            new Phrase("not enough free addresses in subnet", "InsufficientFreeAddressesInSubnet", Kind.NETWORK),
            new Phrase("invalidamiid", "InvalidAMIID.NotFound", Kind.CONFIGURATION),
            new Phrase("the image id", "InvalidAMIID.NotFound", Kind.CONFIGURATION),
            new Phrase("the ami id", "InvalidAMIID.NotFound", Kind.CONFIGURATION),
            new Phrase("invalidlaunchtemplate", "InvalidLaunchTemplateId.NotFound", Kind.CONFIGURATION),
            new Phrase("launch template", "InvalidLaunchTemplateId.NotFound", Kind.CONFIGURATION),
            new Phrase("invalidparametervalue", "InvalidParameterValue", Kind.CONFIGURATION),
            new Phrase("invalidparametercombination", "InvalidParameterCombination", Kind.CONFIGURATION),
            new Phrase("is invalid", "InvalidParameterValue", Kind.CONFIGURATION),
            new Phrase("does not exist", "InvalidParameterValue", Kind.CONFIGURATION),
            new Phrase("not supported", "Unsupported", Kind.CONFIGURATION));

    /**
     * EKS node group health issue codes that say its instances cannot launch or join; other codes
     * (pod eviction, node termination, throttling of EKS's own calls) say nothing about a scale-up.
     * {@code AsgInstanceLaunchFailures} carries EC2's message, read like an activity's.
     */
    private static final Map<String, Kind> EKS_ISSUES = Map.ofEntries(
            Map.entry("AsgInstanceLaunchFailures", Kind.OTHER),
            Map.entry("InsufficientFreeAddresses", Kind.NETWORK),
            Map.entry("InstanceLimitExceeded", Kind.QUOTA),
            Map.entry("NodeCreationFailure", Kind.OTHER),
            Map.entry("Ec2LaunchTemplateNotFound", Kind.CONFIGURATION),
            Map.entry("Ec2LaunchTemplateVersionMismatch", Kind.CONFIGURATION),
            Map.entry("Ec2LaunchTemplateInvalidConfiguration", Kind.CONFIGURATION),
            Map.entry("SourceEc2LaunchTemplateNotFound", Kind.CONFIGURATION),
            Map.entry("AmiIdNotFound", Kind.CONFIGURATION),
            Map.entry("Ec2InstanceTypeDoesNotExist", Kind.CONFIGURATION),
            Map.entry("Ec2SecurityGroupNotFound", Kind.CONFIGURATION),
            Map.entry("Ec2SubnetNotFound", Kind.CONFIGURATION),
            Map.entry("Ec2SubnetInvalidConfiguration", Kind.CONFIGURATION),
            Map.entry("Ec2SubnetMissingIpv6Assignment", Kind.CONFIGURATION),
            Map.entry("IamInstanceProfileNotFound", Kind.CONFIGURATION),
            Map.entry("IamNodeRoleNotFound", Kind.CONFIGURATION),
            Map.entry("AutoScalingGroupNotFound", Kind.CONFIGURATION),
            Map.entry("AutoScalingGroupInvalidConfiguration", Kind.CONFIGURATION),
            Map.entry("AutoScalingGroupOptInRequired", Kind.CONFIGURATION));

    private LaunchErrors() {
    }

    /** The error an Auto Scaling activity's status message describes. */
    public static InstanceError fromStatusMessage(String statusMessage) {
        String message = statusMessage == null ? "" : statusMessage;
        String text = message.toLowerCase(Locale.ROOT);
        for (Phrase p : PHRASES) {
            if (text.contains(p.text())) {
                return new InstanceError(p.kind(), p.code(), message);
            }
        }
        return new InstanceError(Kind.OTHER, "LaunchFailed", message);
    }

    /** The error an EKS health issue describes, or empty when the issue is not about launching nodes. */
    public static Optional<InstanceError> fromNodegroupIssue(String code, String message) {
        Kind kind = code == null ? null : EKS_ISSUES.get(code);
        if (kind == null) {
            return Optional.empty();
        }
        InstanceError read = fromStatusMessage(message);
        if (kind == Kind.OTHER && read.kind() != Kind.OTHER) {
            // AsgInstanceLaunchFailures and NodeCreationFailure carry EC2's own reason
            return Optional.of(read);
        }
        return Optional.of(new InstanceError(kind, code, message));
    }
}
