package io.archscaler.controller;

import io.archscaler.config.ScaleUpConfig;
import io.archscaler.events.EventAddresses;
import io.archscaler.scaler.model.ClusterLimits;

import java.time.Duration;

/**
 * The knobs of the scaling loop: the {@code scaleUp} config block, and how often the loop reads the
 * node groups' sizes again and plans pods that are still pending.
 */
public record ScalerSettings(String cluster, ScaleUpConfig scaleUp, Duration groupRefreshInterval,
                             Duration rescanInterval, EventAddresses addresses) {

    /** A single-cluster controller's settings, on the {@link EventAddresses#SINGLE} addresses. */
    public ScalerSettings(String cluster, ScaleUpConfig scaleUp, Duration groupRefreshInterval, Duration rescanInterval) {
        this(cluster, scaleUp, groupRefreshInterval, rescanInterval, EventAddresses.SINGLE);
    }

    public Duration batchIdle() {
        return scaleUp.batchIdle();
    }

    public Duration batchMax() {
        return scaleUp.batchMax();
    }

    public ClusterLimits limits() {
        return scaleUp.limits();
    }

    public Duration maxNodeProvisionTime() {
        return scaleUp.maxNodeProvisionTime();
    }

    public Duration backoffInitial() {
        return scaleUp.backoffInitial();
    }

    public Duration backoffMax() {
        return scaleUp.backoffMax();
    }

    /** How long an offering with a capacity error is left out. */
    public Duration offeringUnavailableFor() {
        return scaleUp.offeringUnavailableFor();
    }

    public Duration headroomTtl() {
        return scaleUp.headroomTtl();
    }

    /** How often a group with nodes on their way is asked whether some will not come. */
    public Duration failureCheckInterval() {
        return scaleUp.failureCheckInterval();
    }
}
