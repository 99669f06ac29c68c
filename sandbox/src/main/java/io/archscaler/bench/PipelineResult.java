package io.archscaler.bench;

import io.archscaler.cli.TextTable;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;

/**
 * What the pipeline benchmark measured.
 *
 * @param complete        every event was applied and covered by a plan or decision in time
 * @param eventsPerSecond events over the time from the first send to the last event applied
 *                        (its offset committed by the controller's consumer)
 * @param eventToDecision produce time to the first plan (pod on existing or in-flight room) or
 *                        requested scale-up decision listing the pod
 * @param beyondWindow    the same without the time the pod, once applied, waited for its batch
 *                        to close
 * @param batchWait       that wait: from the pod applied to its batch closing
 * @param transit         produce time to applied (seen as a committed offset, so a few ms late)
 * @param decide          from the pod's batch closing to the plan or decision that covered it:
 *                        snapshot, planning and acting
 * @param cpuMicrosPerEvent cpu time of the whole process (broker, producer, controller) per event
 *                        over the round: what the rate would cost on an idle machine
 * @param cpuMillisByPart the same by part of the process, see {@link ThreadCpu}
 * @param paced           with a burst's result, the round produced at a steady pace after it, or null
 */
public record PipelineResult(int events, int warmupEvents, int partitions, double rate, boolean complete, int covered,
                             double eventsPerSecond, double producedPerSecond, Percentiles eventToDecision,
                             Percentiles beyondWindow, Percentiles batchWait, Percentiles transit, Percentiles decide,
                             long batchIdleMillis, long batchMaxMillis, int plans, int decisions,
                             long nodesRequested, int groupsScaled, double cpuMicrosPerEvent, double ingestMillis,
                             Map<String, Long> cpuMillisByPart, PipelineResult paced) {

    /** This burst's result with the steady round's beside it. */
    PipelineResult withPaced(PipelineResult steady) {
        return new PipelineResult(events, warmupEvents, partitions, rate, complete, covered, eventsPerSecond,
                producedPerSecond, eventToDecision, beyondWindow, batchWait, transit, decide, batchIdleMillis,
                batchMaxMillis, plans, decisions, nodesRequested, groupsScaled, cpuMicrosPerEvent, ingestMillis,
                cpuMillisByPart, steady);
    }

    /** Every round's events were applied and covered. */
    public boolean allComplete() {
        return complete && (paced == null || paced.allComplete());
    }

    /** p50, p99 and max of a set of latencies, in milliseconds. */
    public record Percentiles(double p50, double p99, double max) {
        static Percentiles of(double[] millis) {
            return new Percentiles(Stats.percentile(millis, 0.50), Stats.percentile(millis, 0.99),
                    Stats.percentile(millis, 1.0));
        }

        JsonObject toJson() {
            return new JsonObject().put("p50", Stats.round(p50, 2)).put("p99", Stats.round(p99, 2))
                    .put("max", Stats.round(max, 2));
        }
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("scenario", "pipeline")
                .put("events", events)
                .put("warmupEvents", warmupEvents)
                .put("partitions", partitions)
                .put("produceRate", rate > 0 ? Math.round(rate) : "unpaced")
                .put("complete", complete)
                .put("eventsCovered", covered)
                .put("eventsPerSecond", Math.round(eventsPerSecond))
                .put("ingestMillis", Stats.round(ingestMillis, 1))
                .put("cpuMicrosPerEvent", Stats.round(cpuMicrosPerEvent, 1))
                .put("producedPerSecond", Math.round(producedPerSecond))
                .put("eventToDecisionMillis", eventToDecision.toJson())
                .put("latencyBeyondWindowMillis", beyondWindow.toJson())
                .put("batchWaitMillis", batchWait.toJson())
                .put("transitMillis", transit.toJson())
                .put("batchToDecisionMillis", decide.toJson())
                .put("batchWindowMillis", new JsonObject().put("idle", batchIdleMillis).put("max", batchMaxMillis))
                .put("plans", plans)
                .put("scaleUpDecisions", decisions)
                .put("nodesRequested", nodesRequested)
                .put("groupsScaled", groupsScaled)
                .put("cpuMillisByPart", new JsonObject(new java.util.LinkedHashMap<>(cpuMillisByPart)))
                .put("paced", paced == null ? null : paced.toJson());
    }

    public String table() {
        TextTable t = new TextTable("MEASURE", "P50 MS", "P99 MS", "MAX MS");
        row(t, "event to decision", eventToDecision);
        row(t, "  waiting for the batch to close", batchWait);
        row(t, "  beyond the batching window", beyondWindow);
        row(t, "  produce to applied", transit);
        row(t, "  batch closed to decision", decide);
        TextTable cpu = new TextTable("PART OF THE PROCESS", "CPU MS", "US PER EVENT");
        cpuMillisByPart.forEach((part, ms) -> cpu.row(part, ms, String.format(Locale.ROOT, "%.0f", ms * 1000.0 / events)));
        return String.format(Locale.ROOT, "%,d pod events, %d partitions: %,.0f events/s applied (produced at %,.0f/s),"
                        + " %s; %.0f us of cpu per event (whole process)%n%d plans, %d scale-up decisions, %,d nodes requested; batchIdle %d ms, batchMax %d ms%n", events, partitions, eventsPerSecond, producedPerSecond,
                complete ? "all covered" : "INCOMPLETE: " + covered + " covered", cpuMicrosPerEvent, plans, decisions, nodesRequested,
                batchIdleMillis, batchMaxMillis) + t.render() + cpu.render()
                + (paced == null ? "" : String.format(Locale.ROOT, "%nThe same, produced at %,.0f a second:%n", paced.rate)
                        + paced.table());
    }

    private static void row(TextTable t, String name, Percentiles p) {
        t.row(name, String.format(Locale.ROOT, "%.1f", p.p50()), String.format(Locale.ROOT, "%.1f", p.p99()),
                String.format(Locale.ROOT, "%.1f", p.max()));
    }
}
