package io.archscaler.controller;

import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.ProviderException;
import io.archscaler.hpa.HpaHeadroom;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Offering;
import io.archscaler.scaler.state.GroupBackoff;
import io.archscaler.scaler.state.Offerings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * What every part of the scaling loop shares: its settings, the cluster as the informers see it,
 * the node groups and their backoff, the offerings out after capacity errors, the HPA headroom, the
 * metrics and the clock. All live on the scaler verticle's context.
 */
record ScalingParts(ScalerSettings settings, ClusterState state, NodeGroups groups, GroupBackoff backoff,
                    Offerings offerings, HpaHeadroom hpa, ArchscalerMetrics metrics, Clock clock) {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingParts.class);

    /** A fresh cluster view, backoff and headroom for the given groups. */
    static ScalingParts of(ScalerSettings settings, KubeModel kube, NodeGroups groups, ArchscalerMetrics metrics,
                           Clock clock) {
        return new ScalingParts(settings, new ClusterState(kube), groups,
                new GroupBackoff(clock, settings.backoffInitial(), settings.backoffMax()),
                new Offerings(clock, settings.offeringUnavailableFor()),
                new HpaHeadroom(settings.cluster(), settings.headroomTtl(), kube::pendingPod, clock), metrics, clock);
    }

    /**
     * A scale-up of {@code group} failed, refused or after it was accepted: when the failure says
     * the offering has no room (capacity, quota, full subnet), the offering and the instance types
     * the cloud named are left out for {@code offeringUnavailableFor}, by every group launching them.
     */
    void offeringsFailed(String group, ProviderException error) {
        NodeGroup g = groups.get(group);
        if (g == null || !error.offeringUnavailable()) {
            return;
        }
        List<String> named = error instanceof InsufficientCapacityException ice ? ice.instanceTypes() : List.of();
        List<Offering> marked = offerings.capacityError(g, named, error.reason());
        LOG.info("{}: offering(s) {} unavailable for {} after {}", group, marked, settings.offeringUnavailableFor(),
                error.reason());
    }
}
