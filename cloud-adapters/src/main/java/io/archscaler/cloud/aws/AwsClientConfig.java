package io.archscaler.cloud.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the AWS clients send their calls: the region, and per service an optional endpoint that
 * replaces the regional one (a VPC endpoint, a test server).
 *
 * @param callTimeout the longest one API call may take before it fails as retryable
 */
public record AwsClientConfig(String region, URI eksEndpoint, URI ec2Endpoint, URI autoscalingEndpoint,
                              Duration callTimeout) {
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    public AwsClientConfig {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("aws.region: missing (for example us-west-2)");
        }
        checkEndpoint("aws.endpoints.eks", eksEndpoint);
        checkEndpoint("aws.endpoints.ec2", ec2Endpoint);
        checkEndpoint("aws.endpoints.autoscaling", autoscalingEndpoint);
        callTimeout = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("aws.callTimeout: must be positive, was " + callTimeout);
        }
    }

    /** The regional endpoints of every service. */
    public static AwsClientConfig of(String region) {
        return new AwsClientConfig(region, null, null, null, null);
    }

    /** Every service at one endpoint (a test server that answers them all). */
    public static AwsClientConfig allAt(String region, URI endpoint) {
        return new AwsClientConfig(region, endpoint, endpoint, endpoint, null);
    }

    private static void checkEndpoint(String field, URI uri) {
        if (uri == null) {
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(field + ": expected an absolute http(s) URL, was \"" + uri + "\"");
        }
        Objects.requireNonNull(uri.getHost());
    }
}
