package io.archscaler.config;

import io.archscaler.scaler.model.ClusterLimits;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How pending pods are batched and how far the cluster may grow.
 *
 * @param maxCoresTotal  cores over all nodes, empty for no limit
 * @param maxMemoryTotal bytes over all nodes, empty for no limit
 * @param headroomTtl    how long capacity planned ahead of an HPA waits for the HPA's pods
 * @param failureCheckInterval how often a group with nodes on their way is asked whether some failed to launch
 */
public record ScaleUpConfig(Duration batchIdle, Duration batchMax, int maxNodesTotal, OptionalLong maxCoresTotal,
                            OptionalLong maxMemoryTotal, Duration maxNodeProvisionTime, Duration backoffInitial,
                            Duration backoffMax, Duration headroomTtl, Duration failureCheckInterval) {
    public static final Duration DEFAULT_HEADROOM_TTL = Duration.ofMinutes(5);
    /** Two seconds: a failure AWS reports is seen within about that, at one describe per group. */
    public static final Duration DEFAULT_FAILURE_CHECK_INTERVAL = Duration.ofSeconds(2);
    public static final ScaleUpConfig DEFAULTS = new ScaleUpConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), 1000,
            OptionalLong.empty(), OptionalLong.empty(), Duration.ofMinutes(15), Duration.ofMinutes(5),
            Duration.ofMinutes(30), DEFAULT_HEADROOM_TTL, DEFAULT_FAILURE_CHECK_INTERVAL);

    /** The settings with the default {@code failureCheckInterval}. */
    public ScaleUpConfig(Duration batchIdle, Duration batchMax, int maxNodesTotal, OptionalLong maxCoresTotal,
                         OptionalLong maxMemoryTotal, Duration maxNodeProvisionTime, Duration backoffInitial,
                         Duration backoffMax, Duration headroomTtl) {
        this(batchIdle, batchMax, maxNodesTotal, maxCoresTotal, maxMemoryTotal, maxNodeProvisionTime, backoffInitial,
                backoffMax, headroomTtl, DEFAULT_FAILURE_CHECK_INTERVAL);
    }

    /** The settings with the default {@code headroomTtl}. */
    public ScaleUpConfig(Duration batchIdle, Duration batchMax, int maxNodesTotal, OptionalLong maxCoresTotal,
                         OptionalLong maxMemoryTotal, Duration maxNodeProvisionTime, Duration backoffInitial,
                         Duration backoffMax) {
        this(batchIdle, batchMax, maxNodesTotal, maxCoresTotal, maxMemoryTotal, maxNodeProvisionTime, backoffInitial,
                backoffMax, DEFAULT_HEADROOM_TTL);
    }

    /** The cluster-wide ceilings the planner enforces. */
    public ClusterLimits limits() {
        return new ClusterLimits(maxNodesTotal, maxCoresTotal.orElse(Long.MAX_VALUE),
                maxMemoryTotal.orElse(Long.MAX_VALUE));
    }
}
