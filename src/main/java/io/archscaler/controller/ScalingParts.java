package io.archscaler.controller;

import io.archscaler.hpa.HpaHeadroom;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.state.GroupBackoff;

import java.time.Clock;

/**
 * What every part of the scaling loop shares: its settings, the cluster as the informers see it,
 * the node groups and their backoff, the HPA headroom, the metrics and the clock. All live on the
 * scaler verticle's context.
 */
record ScalingParts(ScalerSettings settings, ClusterState state, NodeGroups groups, GroupBackoff backoff,
                    HpaHeadroom hpa, ArchscalerMetrics metrics, Clock clock) {

    /** A fresh cluster view, backoff and headroom for the given groups. */
    static ScalingParts of(ScalerSettings settings, KubeModel kube, NodeGroups groups, ArchscalerMetrics metrics,
                           Clock clock) {
        return new ScalingParts(settings, new ClusterState(kube), groups,
                new GroupBackoff(clock, settings.backoffInitial(), settings.backoffMax()),
                new HpaHeadroom(settings.cluster(), settings.headroomTtl(), kube::pendingPod, clock), metrics, clock);
    }
}
