package io.archscaler.controller;

import io.archscaler.hpa.HpaHeadroom;
import io.archscaler.metrics.NodeGroupSizes;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.state.GroupBackoff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the scaling loop shows of itself: the {@code /status} document (which the status ConfigMap
 * also carries), with no secrets in it, and the node group, cost and pending-pod gauges.
 */
final class StatusBuilder {
    private final ScalingParts parts;
    private final ProvisioningWatch provisioning;
    private final ScaleUpLoop scaleUp;
    private final DecisionRecorder decisions;
    private final RestoreLoop restore;

    StatusBuilder(ScalingParts parts, ProvisioningWatch provisioning, ScaleUpLoop scaleUp, DecisionRecorder decisions,
                  RestoreLoop restore) {
        this.parts = parts;
        this.provisioning = provisioning;
        this.scaleUp = scaleUp;
        this.decisions = decisions;
        this.restore = restore;
    }

    /** The {@code /status} document. */
    JsonObject status(boolean leader) {
        String cluster = parts.settings().cluster();
        ClusterState state = parts.state();
        Map<String, Integer> pendingByConstraint = state.pendingByConstraint();
        int pendingTotal = pendingByConstraint.values().stream().mapToInt(Integer::intValue).sum();
        JsonArray decided = new JsonArray();
        decisions.recent().forEach(d -> decided.add(d.toJson(cluster)));
        Instant now = parts.clock().instant();
        return new JsonObject()
                .put("cluster", cluster)
                .put("time", now.toString())
                .put("leader", leader)
                .put("nodes", state.nodes().size())
                .put("scheduledPods", state.boundPods())
                .put("nodeGroups", nodeGroups(now))
                .put("pendingPods", new JsonObject().put("total", pendingTotal)
                        .put("byArchConstraint", new JsonObject(Map.copyOf(pendingByConstraint))))
                .put("unschedulable", unschedulable())
                .put("lastDecisions", decided)
                .put("hpaHeadroom", headroom(parts.hpa()))
                .put("predictedReplicas", new JsonObject(Map.copyOf(parts.hpa().predictedReplicas())))
                .put("restores", restore.status())
                .put("offeringsUnavailable", offeringsUnavailable())
                .put("costPerHourByCapacityType", costByCapacityType(state.readyNodesByGroup()));
    }

    private JsonArray nodeGroups(Instant now) {
        Map<String, Integer> ready = parts.state().readyNodesByGroup();
        Map<String, Integer> inFlight = provisioning.inFlight(ready);
        Map<String, GroupBackoff.Entry> backoffs = parts.backoff().entries();
        Set<String> openCircuits = parts.groups().openCircuits();
        JsonArray groupArray = new JsonArray();
        for (NodeGroup g : parts.groups().all()) {
            JsonObject o = new JsonObject()
                    .put("name", g.name()).put("provider", g.provider()).put("arch", g.arch().label())
                    .put("capacityType", g.capacityType().label())
                    .put("size", ready.getOrDefault(g.name(), 0)).put("targetSize", g.targetSize())
                    .put("minSize", g.minSize())
                    .put("maxSize", g.maxSize()).put("inFlight", inFlight.getOrDefault(g.name(), 0))
                    .put("weight", g.weight()).put("instanceType", g.instanceType())
                    .put("circuit", openCircuits.contains(g.name()) ? "open" : "closed");
            GroupBackoff.Entry b = backoffs.get(g.name());
            if (b != null && now.isBefore(b.until())) {
                o.put("backoff", new JsonObject().put("until", b.until().toString())
                        .put("failures", b.failures()).put("reason", b.reason()));
            } else {
                o.putNull("backoff");
            }
            groupArray.add(o);
        }
        return groupArray;
    }

    /** What the ready nodes of the managed groups cost per hour, spot and on-demand apart. */
    private JsonObject costByCapacityType(Map<String, Integer> readyByGroup) {
        JsonObject out = new JsonObject();
        CostModel.perHourByCapacityType(parts.groups().all(), readyByGroup)
                .forEach((type, perHour) -> out.put(type.label(), perHour));
        return out;
    }

    /** The offerings left out after capacity errors: which, until when, and the cloud's reason. */
    private JsonArray offeringsUnavailable() {
        JsonArray out = new JsonArray();
        parts.offerings().marks().forEach((o, e) -> out.add(new JsonObject().put("instanceType", o.instanceType())
                .put("zone", o.zone()).put("capacityType", o.capacityType().label()).put("arch", o.arch().label())
                .put("until", e.until().toString()).put("reason", e.reason())));
        return out;
    }

    private JsonArray unschedulable() {
        JsonArray unsched = new JsonArray();
        scaleUp.lastPlan().unschedulable().forEach(u ->
                unsched.add(new JsonObject().put("pod", u.pod()).put("reason", u.reason())));
        scaleUp.invalidPods().forEach((pod, reason) -> unsched.add(new JsonObject().put("pod", pod).put("reason", reason)));
        return unsched;
    }

    private static JsonObject headroom(HpaHeadroom hpa) {
        JsonObject headroom = new JsonObject();
        hpa.headroom().forEach(e -> headroom.put(e.workload().namespace() + "/" + e.workload().kind() + "/"
                + e.workload().name(), new JsonObject().put("predictedReplicas", e.predictedReplicas())
                .put("headroomPods", e.remaining())));
        return headroom;
    }

    /** Sets the gauges; they walk every pending pod, so once a second is enough for a 15 s scrape interval. */
    void updateGauges() {
        Map<String, Integer> ready = parts.state().readyNodesByGroup();
        Map<String, Integer> inFlight = provisioning.inFlight(ready);
        Set<String> open = parts.groups().openCircuits();
        for (NodeGroup g : parts.groups().all()) {
            int r = ready.getOrDefault(g.name(), 0);
            parts.metrics().nodeGroup(g.name(), g.arch().label(), g.capacityType().label(),
                    new NodeGroupSizes(g.minSize(), g.maxSize(),
                    g.targetSize(), r, inFlight.getOrDefault(g.name(), 0)), parts.backoff().isBackedOff(g.name()),
                    open.contains(g.name()));
        }
        recordCost(ready);
        parts.metrics().pendingPods(parts.state().pendingByConstraint());
        parts.metrics().unschedulablePods(scaleUp.lastPlan().unschedulable().size() + scaleUp.invalidPods().size());
    }

    private void recordCost(Map<String, Integer> readyByGroup) {
        Map<String, Integer> nodesByArch = new HashMap<>();
        for (Arch a : Arch.values()) {
            nodesByArch.put(a.label(), 0);
        }
        for (NodeGroup g : parts.groups().all()) {
            nodesByArch.merge(g.arch().label(), readyByGroup.getOrDefault(g.name(), 0), Integer::sum);
        }
        parts.metrics().cost(nodesByArch, CostModel.of(parts.groups().all(), readyByGroup));
        CostModel.spotShareByArch(parts.groups().all(), readyByGroup)
                .forEach((arch, share) -> parts.metrics().spotNodeRatio(arch.label(), share));
        parts.offerings().counts().forEach(c -> parts.metrics().offeringsUnavailable(c.arch().label(),
                c.capacityType().label(), c.offerings()));
    }
}
