package io.archscaler.bench;

import io.archscaler.cli.TextTable;

import java.util.List;
import java.util.Locale;

/** Planner results as a table people can read. */
public final class PlannerTable {
    private PlannerTable() {
    }

    public static String render(List<PlannerResult> results) {
        TextTable t = new TextTable("SCENARIO", "PODS", "GROUPS", "NODES", "CLASSES", "RUNS", "P50 MS", "P99 MS",
                "CPU P50 MS", "PODS/S", "NEW NODES", "LOWER BOUND", "OVER", "ON EXISTING", "UNSCHEDULABLE", "HEAP MIB", "ALLOC B/POD");
        for (PlannerResult r : results) {
            t.row(r.scenario(), r.pods(), r.nodeGroups(), r.nodes(), r.classes(), r.runs(), fmt("%.1f", r.p50Millis()),
                    fmt("%.1f", r.p99Millis()), fmt("%.1f", r.cpuP50Millis()), fmt("%,.0f", r.podsPerSecond()), r.nodesPlanned(), r.lowerBoundNodes(),
                    fmt("%.2f%%", 100 * r.overLowerBound()), r.podsOnExistingCapacity(), r.podsUnschedulable(),
                    fmt("%.0f", r.heapUsedMiB()), r.allocatedBytesPerPod());
        }
        return t.render();
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
