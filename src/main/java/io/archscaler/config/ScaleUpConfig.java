package io.archscaler.config;

import io.archscaler.scaler.model.ClusterLimits;

import java.time.Duration;

/**
 * How pending pods are batched and how far the cluster may grow: the {@code scaleUp} block, its
 * keys grouped by what they govern (the flat accessors keep the keys' names).
 *
 * @param limits      {@code maxNodesTotal}, {@code maxCoresTotal} and {@code maxMemoryTotal} (bytes),
 *                    {@code Long.MAX_VALUE} where the file gave none
 * @param headroomTtl how long capacity planned ahead of an HPA waits for the HPA's pods
 */
public record ScaleUpConfig(Batching batching, ClusterLimits limits, Provisioning provisioning, Backoff backoff,
                            Duration headroomTtl) {
    public static final Duration DEFAULT_HEADROOM_TTL = Duration.ofMinutes(5);
    /** Three minutes, as Karpenter caches a capacity error per offering. */
    public static final Duration DEFAULT_OFFERING_UNAVAILABLE_FOR = Duration.ofMinutes(3);
    /** Two seconds: a failure AWS reports is seen within about that, at one describe per group. */
    public static final Duration DEFAULT_FAILURE_CHECK_INTERVAL = Duration.ofSeconds(2);
    public static final ScaleUpConfig DEFAULTS = new ScaleUpConfig(
            new Batching(Duration.ofSeconds(1), Duration.ofSeconds(10)), ClusterLimits.ofNodes(1000),
            new Provisioning(Duration.ofMinutes(15), DEFAULT_FAILURE_CHECK_INTERVAL),
            new Backoff(Duration.ofMinutes(5), Duration.ofMinutes(30), DEFAULT_OFFERING_UNAVAILABLE_FOR),
            DEFAULT_HEADROOM_TTL);

    /** A batch of pending pods closes {@code batchIdle} after its last pod or {@code batchMax} after its first. */
    public record Batching(Duration batchIdle, Duration batchMax) {
    }

    /**
     * How long nodes asked for may take to register, and how often a group with nodes on their way
     * ({@code failureCheckInterval}) is asked whether some failed to launch.
     */
    public record Provisioning(Duration maxNodeProvisionTime, Duration failureCheckInterval) {
    }

    /**
     * A group whose scale-up failed rests {@code backoffInitial}, doubling per failure up to
     * {@code backoffMax}; an offering (instance type × zone × capacity type) with a capacity error
     * is left out for {@code offeringUnavailableFor}, by every group that launches it.
     */
    public record Backoff(Duration backoffInitial, Duration backoffMax, Duration offeringUnavailableFor) {
        /** With the default {@code offeringUnavailableFor}. */
        public Backoff(Duration backoffInitial, Duration backoffMax) {
            this(backoffInitial, backoffMax, DEFAULT_OFFERING_UNAVAILABLE_FOR);
        }
    }

    public Duration batchIdle() {
        return batching.batchIdle();
    }

    public Duration batchMax() {
        return batching.batchMax();
    }

    public Duration maxNodeProvisionTime() {
        return provisioning.maxNodeProvisionTime();
    }

    /** How often a group with nodes on their way is asked whether some failed to launch. */
    public Duration failureCheckInterval() {
        return provisioning.failureCheckInterval();
    }

    public Duration backoffInitial() {
        return backoff.backoffInitial();
    }

    public Duration backoffMax() {
        return backoff.backoffMax();
    }

    public Duration offeringUnavailableFor() {
        return backoff.offeringUnavailableFor();
    }
}
