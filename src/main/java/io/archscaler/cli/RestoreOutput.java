package io.archscaler.cli;

import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.restore.Kept;
import io.archscaler.scaler.restore.Replacement;
import io.archscaler.scaler.restore.RestorePlan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** The moves toward arm64 of a {@link RestorePlan}, as {@code plan} prints them. */
final class RestoreOutput {
    private RestoreOutput() {
    }

    /**
     * Adds {@code "restores": [{node, nodeGroup, reason, pods, newNodes: [{nodeGroup, arch, from, to,
     * pods}], onExistingRoom, savingPerHour}]} and {@code "notRestored": [{node, nodeGroup, reason,
     * detail}]} (the amd64 nodes whose pods stay, with why).
     */
    static JsonObject addTo(JsonObject out, RestorePlan plan) {
        JsonArray moves = new JsonArray();
        for (Replacement r : plan.replacements()) {
            JsonArray added = new JsonArray();
            for (ScaleUp u : r.capacity().scaleUps()) {
                added.add(new JsonObject().put("nodeGroup", u.nodeGroup()).put("arch", u.arch().label())
                        .put("from", u.from()).put("to", u.to()).put("pods", new JsonArray(List.copyOf(u.pods()))));
            }
            moves.add(new JsonObject().put("node", r.node()).put("nodeGroup", r.nodeGroup())
                    .put("reason", r.reason().label())
                    .put("pods", new JsonArray(List.copyOf(r.capacity().pods())))
                    .put("newNodes", added)
                    .put("onExistingRoom", new JsonArray(List.copyOf(r.capacity().onExistingRoom())))
                    .put("savingPerHour", rounded(r.savingPerHour())));
        }
        JsonArray kept = new JsonArray();
        for (Kept k : plan.kept()) {
            kept.add(new JsonObject().put("node", k.node()).put("nodeGroup", k.nodeGroup())
                    .put("reason", k.reason().label()).put("detail", k.detail()));
        }
        return out.put("restores", moves).put("notRestored", kept);
    }

    /** A table of the moves and a line with what they save; nothing when there is no move. */
    static String table(RestorePlan plan) {
        if (plan.replacements().isEmpty()) {
            return "";
        }
        TextTable t = new TextTable("MOVE TO ARM64", "GROUP", "REASON", "NEW ARM64 NODES", "SAVING/H", "PODS");
        for (Replacement r : plan.replacements()) {
            t.row(r.node(), r.nodeGroup(), r.reason().label(), newNodes(r), money(r.savingPerHour()),
                    PlanOutput.pods(r.capacity().pods()));
        }
        int n = plan.replacements().size();
        return t.render() + "Moves to arm64: " + n + " node" + (n == 1 ? "" : "s") + ", saving "
                + money(plan.savingPerHour()) + " per hour.\n\n";
    }

    private static String newNodes(Replacement r) {
        if (r.capacity().scaleUps().isEmpty()) {
            return "0 (free room)";
        }
        StringBuilder sb = new StringBuilder();
        for (ScaleUp u : r.capacity().scaleUps()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(u.nodeGroup()).append(" +").append(u.delta());
        }
        return sb.toString();
    }

    private static String money(double perHour) {
        return String.format(Locale.ROOT, "$%.4f", perHour);
    }

    /** To six decimals: prices carry four, so only floating-point noise goes. */
    private static double rounded(double perHour) {
        return BigDecimal.valueOf(perHour).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
