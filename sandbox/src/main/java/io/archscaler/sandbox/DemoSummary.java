package io.archscaler.sandbox;

import io.archscaler.scaler.cost.OptimalCost;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo achieved, as printed at its end: the cluster at its peak, when every pod of the
 * script was running, the moves back to arm64 once arm64 capacity was back, what scale-down did
 * once the load went away, the spot interruption, and last the peak's cost split by capacity type.
 * A new figure goes into the group it belongs to, and into {@link #toJson()} and {@link #toTable()}
 * after the figures already there: scripts read the JSON's fields by name and in order.
 *
 * @param peak the cluster when every pod of the script was running
 */
public record DemoSummary(DemoSnapshot peak, ScaleUps scaleUps, Timings timings, ScaleDown scaleDown,
                          Restore restore, DemoSpotInterruption.Result spotInterruption) {
    /** The order the cost split is printed in: spot first, as the groups are ranked. */
    private static final List<CapacityType> CAPACITY_TYPES = List.of(CapacityType.SPOT, CapacityType.ON_DEMAND);
    private static final List<Arch> ARCHS = List.of(Arch.ARM64, Arch.AMD64);

    /** Without a spot interruption step. */
    public DemoSummary(DemoSnapshot peak, ScaleUps scaleUps, Timings timings, ScaleDown scaleDown, Restore restore) {
        this(peak, scaleUps, timings, scaleDown, restore, null);
    }

    /** The same summary with the spot interruption step's result. */
    DemoSummary withSpotInterruption(DemoSpotInterruption.Result result) {
        return new DemoSummary(peak, scaleUps, timings, scaleDown, restore, result);
    }

    /**
     * The demo's scale-ups.
     *
     * @param fallbackPods flexible pods that went to amd64 because arm64 could not take them
     */
    public record ScaleUps(int requested, int failed, int fallbackPods) {
    }

    /**
     * How long things took, in seconds.
     *
     * @param p50Seconds         median wait of a pod from pending to scheduled
     * @param p99Seconds         99th percentile of that wait
     * @param aheadOfHpaSeconds  how long before the HPA acted the first capacity ahead of it was asked for
     * @param durationSeconds    the whole demo
     */
    public record Timings(double p50Seconds, double p99Seconds, double aheadOfHpaSeconds, double durationSeconds) {
    }

    /**
     * Nodes removed after the load went away, and the cluster left behind.
     *
     * @param removedArchs the arch of each node removed, in the order they went
     * @param after        the cluster once scale-down was done
     */
    public record ScaleDown(List<String> removedArchs, DemoSnapshot after) {
        public ScaleDown {
            removedArchs = List.copyOf(removedArchs);
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

    /**
     * The moves back to arm64 once arm64 capacity was back.
     *
     * @param nodesReplaced amd64 nodes whose pods moved to arm64 and which were then removed
     * @param after         the cluster once the moves were done
     * @param optimal       the cheapest placement of the same pods on new nodes of the configured groups
     * @param during        what the pods saw while they moved
     */
    public record Restore(int nodesReplaced, DemoSnapshot after, OptimalCost.Result optimal, DuringMoves during) {
        /** How far above the cheapest placement the cluster after the moves costs, in percent. */
        double aboveOptimalPercent() {
            double optimum = optimal.perHour();
            // rounding may put a cluster at the optimum a hair below it: printed as 0.0, not -0.0
            return optimum <= 0 ? 0 : Math.max(0, 100 * (after.cost().perHour() / optimum - 1));
        }
    }

    /**
     * What the pods saw while they moved to arm64.
     *
     * @param pdbsWatched   PodDisruptionBudgets whose healthy pods were counted throughout
     * @param pdbViolations of those, the ones that had fewer healthy pods than they require at some point
     */
    public record DuringMoves(Waits waits, int pdbsWatched, int pdbViolations) {
    }

    /**
     * How long the pods the moves evicted waited for a node again.
     *
     * @param pods                         pods placed (or still waiting) since the moves began
     * @param longestSeconds               the longest of their waits
     * @param overRegistrationDelay        those that waited longer than the registration delay
     * @param registrationDelaySeconds     the simulated groups' registration delay at the demo's speed
     */
    public record Waits(int pods, double longestSeconds, int overRegistrationDelay, double registrationDelaySeconds) {
    }

    public JsonObject toJson() {
        DemoSnapshot after = scaleDown.after();
        JsonObject out = new JsonObject()
                .put("podsTotal", peak.scheduled().total()).put("podsScheduled", peak.scheduled().count())
                .put("nodesByArch", new JsonObject(Map.copyOf(peak.nodesByArch())))
                .put("scaleUps", scaleUps.requested()).put("failedScaleUps", scaleUps.failed())
                .put("fallbacks", scaleUps.fallbackPods())
                .put("lockedPodsOnAmd64", peak.lockedOnAmd64().count())
                .put("lockedPodsTotal", peak.lockedOnAmd64().total())
                .put("flexiblePodsOnArm64", peak.flexibleOnArm64().count())
                .put("flexiblePodsTotal", peak.flexibleOnArm64().total())
                .put("costPerHour", round(peak.cost().perHour()))
                .put("allAmd64CostPerHour", round(peak.cost().allAmd64PerHour()))
                .put("pendingToScheduledSeconds", new JsonObject().put("p50", round(timings.p50Seconds()))
                        .put("p99", round(timings.p99Seconds())))
                .put("aheadOfHpaSeconds", round(timings.aheadOfHpaSeconds()))
                .put("durationSeconds", round(timings.durationSeconds()))
                .put("scaleDowns", scaleDown.removedArchs().size())
                .put("scaleDownsByArch", new JsonObject(new LinkedHashMap<>(scaleDown.byArch())))
                .put("scaleDownOrder", new JsonArray(scaleDown.removedArchs()))
                .put("afterScaleDown", json(after))
                .put("restores", restore.nodesReplaced())
                .put("afterRestore", json(restore.after()))
                .put("optimalCostPerHour", round(restore.optimal().perHour()))
                .put("optimalCostKind", restore.optimal().kind().label())
                .put("duringRestore", during(restore.during()));
        if (spotInterruption != null) {
            out.put("spotInterruption", new JsonObject().put("node", spotInterruption.node())
                    .put("replacedWithinNotice", spotInterruption.withinNotice())
                    .put("seconds", round(spotInterruption.seconds())).put("pods", spotInterruption.pods())
                    .put("podsLost", spotInterruption.podsLost()));
        }
        JsonObject byType = new JsonObject();
        JsonObject byTypeAndArch = new JsonObject();
        for (CapacityType type : CAPACITY_TYPES) {
            byType.put(type.label(), round(capacityCost(type)));
            JsonObject byArch = new JsonObject();
            for (Arch arch : ARCHS) {
                byArch.put(arch.label(), round(capacityCost(type, arch)));
            }
            byTypeAndArch.put(type.label(), byArch);
        }
        return out.put("costPerHourByCapacityType", byType).put("costPerHourByCapacityTypeAndArch", byTypeAndArch);
    }

    /** What the peak's nodes of one capacity type cost per hour. */
    private double capacityCost(CapacityType type) {
        return ARCHS.stream().mapToDouble(a -> capacityCost(type, a)).sum();
    }

    private double capacityCost(CapacityType type, Arch arch) {
        return peak.costByCapacity().getOrDefault(type, Map.of()).getOrDefault(arch, 0.0);
    }

    /** {@code {podsRescheduled, longestPendingSeconds, …, pdbsWatched, pdbViolations}}. */
    private static JsonObject during(DuringMoves d) {
        Waits w = d.waits();
        return new JsonObject().put("podsRescheduled", w.pods()).put("longestPendingSeconds", round(w.longestSeconds()))
                .put("podsPendingOverRegistrationDelay", w.overRegistrationDelay())
                .put("registrationDelaySeconds", round(w.registrationDelaySeconds()))
                .put("pdbsWatched", d.pdbsWatched()).put("pdbViolations", d.pdbViolations());
    }

    /** {@code {nodesByArch, pods, podsScheduled, costPerHour}}. */
    private static JsonObject json(DemoSnapshot s) {
        return new JsonObject().put("nodesByArch", new JsonObject(Map.copyOf(s.nodesByArch())))
                .put("pods", s.scheduled().total()).put("podsScheduled", s.scheduled().count())
                .put("costPerHour", round(s.cost().perHour()));
    }

    public String toTable() {
        double costPerHour = peak.cost().perHour();
        double allAmd64CostPerHour = peak.cost().allAmd64PerHour();
        double saving = allAmd64CostPerHour <= 0 ? 0 : 100 * (1 - costPerHour / allAmd64CostPerHour);
        StringBuilder b = new StringBuilder();
        b.append("Summary\n");
        row(b, "pods scheduled", peak.scheduled().fraction());
        row(b, "nodes by arch", nodes(peak));
        row(b, "scale-ups", scaleUps.requested() + " requested, " + scaleUps.failed() + " failed");
        row(b, "amd64-locked pods", peak.lockedOnAmd64().fraction() + " on amd64");
        row(b, "flexible pods", peak.flexibleOnArm64().fraction() + " on arm64, " + scaleUps.fallbackPods()
                + " fell back to amd64");
        row(b, "pending -> scheduled", String.format(Locale.ROOT, "p50 %.1fs, p99 %.1fs", timings.p50Seconds(),
                timings.p99Seconds()));
        row(b, "cost per hour", String.format(Locale.ROOT, "$%.4f (all-amd64: $%.4f, %.1f%% saved)",
                costPerHour, allAmd64CostPerHour, saving));
        row(b, "ahead of the HPA", String.format(Locale.ROOT, "nodes requested %.1fs before its pods existed",
                timings.aheadOfHpaSeconds()));
        Map<String, Integer> removed = scaleDown.byArch();
        row(b, "scale-downs", scaleDown.removedArchs().size() + " nodes removed when the load went away (amd64 "
                + removed.get("amd64") + ", arm64 " + removed.get("arm64") + (scaleDown.amd64First() ? "; amd64 first)" : ")"));
        row(b, "after scale-down", line(scaleDown.after()));
        row(b, "duration", String.format(Locale.ROOT, "%.1fs", timings.durationSeconds()));
        row(b, "restores", restore.nodesReplaced() + " amd64 nodes removed once their pods moved to arm64");
        row(b, "after restore", line(restore.after()));
        OptimalCost.Result optimal = restore.optimal();
        row(b, "optimal cost", String.format(Locale.ROOT, "$%.4f per hour (%s%s); after restore %.1f%% above it",
                optimal.perHour(), optimal.kind() == OptimalCost.Kind.EXACT ? "exact" : "a lower bound",
                optimal.unplaceable().isEmpty() ? "" : "; " + optimal.unplaceable().size() + " pods fit no group",
                restore.aboveOptimalPercent()));
        DuringMoves during = restore.during();
        Waits waits = during.waits();
        row(b, "during the moves", String.format(Locale.ROOT,
                "%d pods rescheduled, longest pending %.1fs, %d over the %.1fs registration delay; %d of %d PDBs violated",
                waits.pods(), waits.longestSeconds(), waits.overRegistrationDelay(), waits.registrationDelaySeconds(),
                during.pdbViolations(), during.pdbsWatched()));
        if (spotInterruption != null) {
            row(b, "spot interruption", spotInterruption.node().isEmpty() ? "skipped: no spot node ran pods"
                    : String.format(Locale.ROOT, "node %s replaced %s the notice in %.0f s, %d pods lost",
                    spotInterruption.node(), spotInterruption.withinNotice() ? "within" : "NOT within",
                    spotInterruption.seconds(), spotInterruption.podsLost()));
        }
        for (CapacityType type : CAPACITY_TYPES) {
            row(b, "peak cost, " + type.label(), String.format(Locale.ROOT,
                    "$%.4f per hour (arm64 $%.4f, amd64 $%.4f)", capacityCost(type),
                    capacityCost(type, Arch.ARM64), capacityCost(type, Arch.AMD64)));
        }
        return b.toString();
    }

    /** {@code arm64 N, amd64 M nodes; P/Q pods scheduled; $C per hour}. */
    private static String line(DemoSnapshot s) {
        return nodes(s) + " nodes; " + s.scheduled().fraction() + " pods scheduled; "
                + String.format(Locale.ROOT, "$%.4f per hour", s.cost().perHour());
    }

    /** {@code arm64 N, amd64 M}. */
    private static String nodes(DemoSnapshot s) {
        Map<String, Integer> n = s.nodesByArch();
        return "arm64 " + n.getOrDefault("arm64", 0) + ", amd64 " + n.getOrDefault("amd64", 0);
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
