package io.archscaler.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo achieved, as printed at its end: the cluster at its peak, when every pod of the
 * script was running, and what scale-down did once the load went away.
 */
public record DemoSummary(int podsTotal, int podsScheduled, Map<String, Integer> nodesByArch, int scaleUps,
                          int failedScaleUps, int fallbacks, int lockedPodsOnAmd64, int lockedPodsTotal,
                          int flexiblePodsOnArm64, int flexiblePodsTotal, double costPerHour,
                          double allAmd64CostPerHour, double p50Seconds, double p99Seconds, double durationSeconds,
                          double aheadOfHpaSeconds, ScaleDown scaleDown) {

    /**
     * Nodes removed after the load went away, and the cluster left behind.
     *
     * @param removedArchs the arch of each node removed, in the order they went
     */
    public record ScaleDown(List<String> removedArchs, Map<String, Integer> nodesByArch, int pods, int podsScheduled,
                            double costPerHour) {
        public ScaleDown {
            removedArchs = List.copyOf(removedArchs);
            nodesByArch = Map.copyOf(nodesByArch);
        }

        Map<String, Integer> byArch() {
            Map<String, Integer> out = new TreeMap<>(Map.of("arm64", 0, "amd64", 0));
            removedArchs.forEach(a -> out.merge(a, 1, Integer::sum));
            return out;
        }

        /** Whether every amd64 node went before any arm64 node. */
        boolean amd64First() {
            int lastAmd = removedArchs.lastIndexOf("amd64");
            int firstArm = removedArchs.indexOf("arm64");
            return lastAmd >= 0 && (firstArm < 0 || lastAmd < firstArm);
        }
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("podsTotal", podsTotal).put("podsScheduled", podsScheduled)
                .put("nodesByArch", new JsonObject(Map.copyOf(nodesByArch)))
                .put("scaleUps", scaleUps).put("failedScaleUps", failedScaleUps).put("fallbacks", fallbacks)
                .put("lockedPodsOnAmd64", lockedPodsOnAmd64).put("lockedPodsTotal", lockedPodsTotal)
                .put("flexiblePodsOnArm64", flexiblePodsOnArm64).put("flexiblePodsTotal", flexiblePodsTotal)
                .put("costPerHour", round(costPerHour)).put("allAmd64CostPerHour", round(allAmd64CostPerHour))
                .put("pendingToScheduledSeconds", new JsonObject().put("p50", round(p50Seconds)).put("p99", round(p99Seconds)))
                .put("aheadOfHpaSeconds", round(aheadOfHpaSeconds))
                .put("durationSeconds", round(durationSeconds))
                .put("scaleDowns", scaleDown.removedArchs().size())
                .put("scaleDownsByArch", new JsonObject(new java.util.LinkedHashMap<>(scaleDown.byArch())))
                .put("scaleDownOrder", new JsonArray(scaleDown.removedArchs()))
                .put("afterScaleDown", new JsonObject()
                        .put("nodesByArch", new JsonObject(Map.copyOf(scaleDown.nodesByArch())))
                        .put("pods", scaleDown.pods()).put("podsScheduled", scaleDown.podsScheduled())
                        .put("costPerHour", round(scaleDown.costPerHour())));
    }

    public String toTable() {
        double saving = allAmd64CostPerHour <= 0 ? 0 : 100 * (1 - costPerHour / allAmd64CostPerHour);
        StringBuilder b = new StringBuilder();
        b.append("Summary\n");
        row(b, "pods scheduled", podsScheduled + "/" + podsTotal);
        row(b, "nodes by arch", "arm64 " + nodesByArch.getOrDefault("arm64", 0) + ", amd64 "
                + nodesByArch.getOrDefault("amd64", 0));
        row(b, "scale-ups", scaleUps + " requested, " + failedScaleUps + " failed");
        row(b, "amd64-locked pods", lockedPodsOnAmd64 + "/" + lockedPodsTotal + " on amd64");
        row(b, "flexible pods", flexiblePodsOnArm64 + "/" + flexiblePodsTotal + " on arm64, " + fallbacks
                + " fell back to amd64");
        row(b, "pending -> scheduled", String.format(Locale.ROOT, "p50 %.1fs, p99 %.1fs", p50Seconds, p99Seconds));
        row(b, "cost per hour", String.format(Locale.ROOT, "$%.4f (all-amd64: $%.4f, %.1f%% saved)",
                costPerHour, allAmd64CostPerHour, saving));
        row(b, "ahead of the HPA", String.format(Locale.ROOT, "nodes requested %.1fs before its pods existed",
                aheadOfHpaSeconds));
        Map<String, Integer> removed = scaleDown.byArch();
        row(b, "scale-downs", scaleDown.removedArchs().size() + " nodes removed when the load went away (amd64 "
                + removed.get("amd64") + ", arm64 " + removed.get("arm64") + (scaleDown.amd64First() ? "; amd64 first)" : ")"));
        row(b, "after scale-down", "arm64 " + scaleDown.nodesByArch().getOrDefault("arm64", 0) + ", amd64 "
                + scaleDown.nodesByArch().getOrDefault("amd64", 0) + " nodes; " + scaleDown.podsScheduled() + "/"
                + scaleDown.pods() + " pods scheduled; " + String.format(Locale.ROOT, "$%.4f per hour",
                scaleDown.costPerHour()));
        row(b, "duration", String.format(Locale.ROOT, "%.1fs", durationSeconds));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
