package io.archscaler.controller;

import io.archscaler.scaler.model.ClusterLimits;

import java.time.Duration;

/**
 * The knobs of the scaling loop, taken from the {@code scaleUp} config block.
 *
 * @param failureCheckInterval how often a group with nodes on their way is asked whether some will not come
 */
public record ScalerSettings(String cluster, Duration batchIdle, Duration batchMax, ClusterLimits limits,
                             Duration maxNodeProvisionTime, Duration backoffInitial, Duration backoffMax,
                             Duration groupRefreshInterval, Duration rescanInterval, Duration headroomTtl,
                             Duration failureCheckInterval) {
}
