package io.archscaler.cli;

import io.archscaler.scaler.model.ScaleDown;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.archscaler.scaler.restore.RestorePlan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A {@link ScalePlan} as the JSON of DESIGN.md or as tables for people. */
public final class PlanOutput {
    /** Pod names shown per scale-up row in a table before "+N more". */
    static final int PODS_SHOWN = 3;

    private PlanOutput() {
    }

    /** {@link #json(ScalePlan, RestorePlan)} with no move toward arm64. */
    public static JsonObject json(ScalePlan plan) {
        return json(plan, RestorePlan.NONE);
    }

    /**
     * {@code {"scaleUps": [{nodeGroup, arch, capacityType, from, to, pods[, fallbackReason]}], "unschedulable":
     * [{pod, reason}], "scaleDowns": [{nodeGroup, node, reason}], "restores": [...], "notRestored": [...]}}
     * (the last two as {@link RestoreOutput#addTo} writes them).
     */
    public static JsonObject json(ScalePlan plan, RestorePlan restores) {
        JsonArray ups = new JsonArray();
        for (ScaleUp u : plan.scaleUps()) {
            JsonObject o = new JsonObject()
                    .put("nodeGroup", u.nodeGroup())
                    .put("arch", u.arch() == null ? null : u.arch().label())
                    .put("capacityType", u.capacityType().label())
                    .put("from", u.from())
                    .put("to", u.to())
                    .put("pods", new JsonArray(List.copyOf(u.pods())));
            if (u.fallbackReason() != null) {
                o.put("fallbackReason", u.fallbackReason());
            }
            ups.add(o);
        }
        JsonArray unschedulable = new JsonArray();
        for (Unschedulable u : plan.unschedulable()) {
            unschedulable.add(new JsonObject().put("pod", u.pod()).put("reason", u.reason()));
        }
        JsonArray downs = new JsonArray();
        for (ScaleDown d : plan.scaleDowns()) {
            downs.add(new JsonObject().put("nodeGroup", d.nodeGroup()).put("node", d.node()).put("reason", d.reason()));
        }
        return RestoreOutput.addTo(new JsonObject().put("scaleUps", ups).put("unschedulable", unschedulable)
                .put("scaleDowns", downs), restores);
    }

    /** {@link #table(ScalePlan, RestorePlan)} with no move toward arm64. */
    public static String table(ScalePlan plan) {
        return table(plan, RestorePlan.NONE);
    }

    /**
     * Tables of scale-ups, unschedulable pods, scale-downs and moves to arm64 (those that have
     * rows), then a summary line.
     */
    public static String table(ScalePlan plan, RestorePlan restores) {
        StringBuilder sb = new StringBuilder();
        if (!plan.scaleUps().isEmpty()) {
            TextTable t = new TextTable("GROUP", "ARCH", "CAPACITY", "FROM", "TO", "PODS");
            for (ScaleUp u : plan.scaleUps()) {
                t.row(u.nodeGroup(), u.arch(), u.capacityType(), u.from(), u.to(), pods(u.pods()));
            }
            sb.append(t.render());
            for (ScaleUp u : plan.scaleUps()) {
                if (u.fallbackReason() != null) {
                    sb.append(u.nodeGroup()).append(" is a fallback: ").append(u.fallbackReason()).append('\n');
                }
            }
            sb.append('\n');
        }
        if (!plan.unschedulable().isEmpty()) {
            TextTable t = new TextTable("UNSCHEDULABLE POD", "REASON");
            plan.unschedulable().forEach(u -> t.row(u.pod(), u.reason()));
            sb.append(t.render()).append('\n');
        }
        if (!plan.scaleDowns().isEmpty()) {
            TextTable t = new TextTable("SCALE-DOWN GROUP", "NODE", "REASON");
            plan.scaleDowns().forEach(d -> t.row(d.nodeGroup(), d.node(), d.reason()));
            sb.append(t.render()).append('\n');
        }
        sb.append(RestoreOutput.table(restores));
        return sb.append(summary(plan)).append('\n').toString();
    }

    /** {@code Plan: 2 scale-ups (+3 nodes), 1 unschedulable pod, 0 scale-downs, 4 pending pods fit existing capacity.} */
    static String summary(ScalePlan plan) {
        int nodes = plan.scaleUps().stream().mapToInt(ScaleUp::delta).sum();
        return "Plan: " + count(plan.scaleUps().size(), "scale-up") + " (+" + count(nodes, "node") + "), "
                + count(plan.unschedulable().size(), "unschedulable pod") + ", "
                + count(plan.scaleDowns().size(), "scale-down") + ", "
                + count(plan.onExistingCapacity().size(), "pending pod")
                + (plan.onExistingCapacity().size() == 1 ? " fits" : " fit") + " existing capacity.";
    }

    static String pods(List<String> pods) {
        if (pods.size() <= PODS_SHOWN) {
            return String.join(", ", pods);
        }
        return String.join(", ", pods.subList(0, PODS_SHOWN)) + " (+" + (pods.size() - PODS_SHOWN) + " more)";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
