package io.archscaler.config;

import java.time.Duration;

/** Leader election over a coordination.k8s.io Lease, so only one replica acts. */
public record LeaderElectionConfig(boolean enabled, String namespace, String leaseName, Duration leaseDuration,
                                   Duration renewDeadline, Duration retryPeriod) {
    public static final String DEFAULT_NAMESPACE = "archscaler";
    public static final String DEFAULT_LEASE_NAME = "archscaler";
}
