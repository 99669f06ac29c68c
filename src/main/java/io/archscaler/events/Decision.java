package io.archscaler.events;

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
    public static final String SCALE_UP = "scale-up";
    public static final String SCALE_DOWN = "scale-down";
    public static final String REQUESTED = "requested";
    public static final String FAILED = "failed";
    public static final String SUCCEEDED = "succeeded";

    public Decision {
        pods = pods == null ? List.of() : List.copyOf(pods);
    }

    /**
     * The decision as written to the decisions topic and shown in {@code /status}: every field in a
     * fixed order, null where it does not apply (a scale-down has no sizes, a scale-up no node).
     */
    public JsonObject toJson(String cluster) {
        boolean up = SCALE_UP.equals(action);
        return new JsonObject()
                .put("cluster", cluster)
                .put("time", time.toString())
                .put("action", action)
                .put("nodeGroup", nodeGroup)
                .put("arch", arch)
                .put("from", up ? from : null)
                .put("to", up ? to : null)
                .put("pods", up ? new JsonArray(pods) : null)
                .put("node", node)
                .put("reason", reason)
                .put("outcome", outcome)
                .put("error", error);
    }

    /** One line for logs and the demo's progress. */
    public String describe() {
        String what = action + " " + nodeGroup + (node == null ? "" : " " + node) + " " + from + "->" + to;
        String forWhat = pods.isEmpty() ? "" : " for " + pods.size() + " pod" + (pods.size() == 1 ? "" : "s");
        String why = reason == null ? "" : " (" + reason + ")";
        String how = "failed".equals(outcome) ? ": FAILED " + error : "";
        return what + forWhat + why + how;
    }
}
