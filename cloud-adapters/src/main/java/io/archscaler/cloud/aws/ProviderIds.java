package io.archscaler.cloud.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes the {@code spec.providerID} of EC2-backed nodes ({@code aws:///us-west-2a/i-0abc…}). */
public final class ProviderIds {
    private static final Pattern EC2 = Pattern.compile("^aws://[^/]*/([a-z0-9-]*)/(i-[0-9a-f]{8,17})$");

    private ProviderIds() {
    }

    /** The EC2 instance id in a provider id, or empty when it names no EC2 instance (Fargate, another cloud). */
    public static Optional<String> instanceId(String providerId) {
        if (providerId == null) {
            return Optional.empty();
        }
        Matcher m = EC2.matcher(providerId.trim());
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The provider id the kubelet's AWS cloud provider gives an instance in a zone. */
    public static String of(String availabilityZone, String instanceId) {
        return "aws:///" + (availabilityZone == null ? "" : availabilityZone) + "/" + instanceId;
    }
}
