package io.archscaler.bench;

import io.archscaler.cli.TextTable;
import io.vertx.core.json.JsonObject;

/**
 * What a soak saw: the churn, what the controller did, and the heap after a full collection once
 * the population had settled and at the end.
 *
 * @param decisionsSettled scale decisions made between the first heap reading and the end
 */
public record SoakResult(long seconds, int arrivalsPerSecond, long podLifetimeSeconds, int podsCreated,
                         int podsDeleted, int podsScheduled, int podsPendingAtEnd, int nodes, int decisions,
                         int decisionsSettled, int failedDecisions, double heapStartMiB, double heapEndMiB) {

    public double heapGrowthMiB() {
        return heapEndMiB - heapStartMiB;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("scenario", "soak")
                .put("seconds", seconds)
                .put("arrivalsPerSecond", arrivalsPerSecond)
                .put("podLifetimeSeconds", podLifetimeSeconds)
                .put("podsCreated", podsCreated)
                .put("podsDeleted", podsDeleted)
                .put("podsScheduled", podsScheduled)
                .put("podsPendingAtEnd", podsPendingAtEnd)
                .put("nodes", nodes)
                .put("decisions", decisions)
                .put("decisionsAfterSettling", decisionsSettled)
                .put("failedDecisions", failedDecisions)
                .put("heapAfterGcMiB", new JsonObject()
                        .put("start", Stats.round(heapStartMiB, 1))
                        .put("end", Stats.round(heapEndMiB, 1))
                        .put("growth", Stats.round(heapGrowthMiB(), 1)));
    }

    public String table() {
        return new TextTable("MEASURE", "VALUE")
                .row("duration", seconds + " s")
                .row("churn", arrivalsPerSecond + " pods/s, each deleted after " + podLifetimeSeconds + " s")
                .row("pods created / deleted", podsCreated + " / " + podsDeleted)
                .row("pods scheduled / pending at the end", podsScheduled + " / " + podsPendingAtEnd)
                .row("nodes", nodes)
                .row("scale decisions (after settling)", decisions + " (" + decisionsSettled + ")")
                .row("failed scale decisions", failedDecisions)
                .row("heap after GC, settled", String.format(java.util.Locale.ROOT, "%.1f MiB", heapStartMiB))
                .row("heap after GC, end", String.format(java.util.Locale.ROOT, "%.1f MiB", heapEndMiB))
                .row("heap growth", String.format(java.util.Locale.ROOT, "%+.1f MiB", heapGrowthMiB()))
                .render();
    }
}
