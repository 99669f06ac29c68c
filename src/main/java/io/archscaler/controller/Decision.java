package io.archscaler.controller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * One scale action and how it went, as shown in {@code /status}, written to the decisions
 * topic and told in the demo's progress.
 *
 * @param action  {@code scale-up} or {@code scale-down}
 * @param outcome {@code requested}, {@code failed} or {@code succeeded}
 */
public record Decision(Instant time, String action, String nodeGroup, String arch, int from, int to,
                       List<String> pods, String node, String reason, String outcome, String error) {
    public Decision {
        pods = pods == null ? List.of() : List.copyOf(pods);
    }

    public JsonObject toJson(String cluster) {
        JsonObject o = new JsonObject().put("cluster", cluster).put("time", time.toString()).put("action", action)
                .put("nodeGroup", nodeGroup).put("arch", arch).put("from", from).put("to", to)
                .put("pods", new JsonArray(pods)).put("outcome", outcome);
        if (node != null) {
            o.put("node", node);
        }
        if (reason != null) {
            o.put("reason", reason);
        }
        if (error != null) {
            o.put("error", error);
        }
        return o;
    }

    /** One line for logs and the demo's progress. */
    public String describe() {
        String what = action + " " + nodeGroup + " " + from + "->" + to;
        String forWhat = pods.isEmpty() ? "" : " for " + pods.size() + " pod" + (pods.size() == 1 ? "" : "s");
        String why = reason == null ? "" : " (" + reason + ")";
        String how = "failed".equals(outcome) ? ": FAILED " + error : "";
        return what + forWhat + why + how;
    }
}
