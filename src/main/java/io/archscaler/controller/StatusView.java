package io.archscaler.controller;

import io.archscaler.events.Decision;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Unschedulable;
import io.archscaler.scaler.state.GroupBackoff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders the {@code /status} document: what Archscaler sees and did, with no secrets in it. */
final class StatusView {
    private StatusView() {
    }

    static JsonObject render(String cluster, boolean leader, List<NodeGroup> groups, Map<String, Integer> ready,
                             Map<String, Integer> inFlight,
                             Map<String, GroupBackoff.Entry> backoffs, Set<String> openCircuits, Instant now,
                             Map<String, Integer> pendingByConstraint, List<Unschedulable> unschedulable,
                             Map<String, String> invalidPods, List<Decision> decisions, int nodes, int boundPods) {
        JsonArray groupArray = new JsonArray();
        for (NodeGroup g : groups) {
            int r = ready.getOrDefault(g.name(), 0);
            JsonObject o = new JsonObject()
                    .put("name", g.name()).put("provider", g.provider()).put("arch", g.arch().label())
                    .put("size", r).put("targetSize", g.targetSize()).put("minSize", g.minSize())
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
        JsonArray unsched = new JsonArray();
        unschedulable.forEach(u -> unsched.add(new JsonObject().put("pod", u.pod()).put("reason", u.reason())));
        invalidPods.forEach((pod, reason) -> unsched.add(new JsonObject().put("pod", pod).put("reason", reason)));
        JsonArray decided = new JsonArray();
        decisions.forEach(d -> decided.add(d.toJson(cluster)));
        int pendingTotal = pendingByConstraint.values().stream().mapToInt(Integer::intValue).sum();
        return new JsonObject()
                .put("cluster", cluster)
                .put("time", now.toString())
                .put("leader", leader)
                .put("nodes", nodes)
                .put("scheduledPods", boundPods)
                .put("nodeGroups", groupArray)
                .put("pendingPods", new JsonObject().put("total", pendingTotal)
                        .put("byArchConstraint", new JsonObject(Map.copyOf(pendingByConstraint))))
                .put("unschedulable", unsched)
                .put("lastDecisions", decided);
    }
}
