package io.archscaler.sandbox;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;

/** What the demo achieved, as printed at its end. */
public record DemoSummary(int podsTotal, int podsScheduled, Map<String, Integer> nodesByArch, int scaleUps,
                          int failedScaleUps, int fallbacks, int lockedPodsOnAmd64, int lockedPodsTotal,
                          int flexiblePodsOnArm64, int flexiblePodsTotal, double costPerHour,
                          double allAmd64CostPerHour, double p50Seconds, double p99Seconds, double durationSeconds,
                          double aheadOfHpaSeconds) {

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
                .put("durationSeconds", round(durationSeconds));
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
