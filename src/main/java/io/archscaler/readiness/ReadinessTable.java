package io.archscaler.readiness;

import io.archscaler.cli.TextTable;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.readiness.BlockedImage;
import io.archscaler.scaler.readiness.ReadinessReport;
import io.archscaler.scaler.readiness.Saving;
import io.archscaler.scaler.readiness.Totals;
import io.archscaler.scaler.readiness.Verdict;
import io.archscaler.scaler.readiness.WorkloadId;
import io.archscaler.scaler.readiness.WorkloadReport;

import java.util.stream.Collectors;

import static io.archscaler.scaler.readiness.Amount.cpu;
import static io.archscaler.scaler.readiness.Amount.dollars;
import static io.archscaler.scaler.readiness.Amount.memory;

/** The report for people: a summary, the blocked images, every workload, totals by namespace, the notes. */
final class ReadinessTable {
    private ReadinessTable() {
    }

    static String of(String cluster, ReadinessReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append(summary(cluster, report.cluster())).append('\n');
        sb.append("BLOCKED IMAGES\n");
        if (report.blockedImages().isEmpty()) {
            sb.append("(none)\n");
        } else {
            TextTable images = new TextTable("IMAGE", "PLATFORMS", "FORGONE/MONTH", "WORKLOADS");
            for (BlockedImage b : report.blockedImages()) {
                images.row(b.image(), b.platforms().isEmpty() ? "-" : String.join(",", b.platforms()),
                        dollars(b.forgonePerMonth()), b.workloads().stream().map(WorkloadId::toString)
                                .collect(Collectors.joining(", ")));
            }
            sb.append(images.render());
        }
        sb.append("\nWORKLOADS\n");
        TextTable workloads = new TextTable("NAMESPACE", "KIND", "NAME", "VERDICT", "PODS NOW", "CPU/REPLICA",
                "MEMORY/REPLICA", "CPU", "MEMORY", "SAVING/MONTH", "WHY");
        for (WorkloadReport w : report.workloads()) {
            Resources one = w.perReplica();
            Resources all = w.total();
            workloads.row(w.id().namespace(), w.id().kind(), w.id().name(), w.verdict().word(), where(w),
                    cpu(one.cpuMillis()), memory(one.memoryBytes()), cpu(all.cpuMillis()), memory(all.memoryBytes()),
                    saving(w), String.join("; ", w.assessment().reasons()));
        }
        sb.append(workloads.render());
        sb.append("\nTOTALS\n");
        TextTable totals = new TextTable("NAMESPACE", "READY", "BLOCKED", "UNKNOWN", "MOVABLE CPU", "MOVABLE MEMORY",
                "SAVING/MONTH", "FORGONE/MONTH", "AT STAKE/MONTH");
        report.byNamespace().forEach((ns, t) -> totalsRow(totals, ns, t));
        totalsRow(totals, "(cluster)", report.cluster());
        sb.append(totals.render());
        sb.append("\nNOTES\n");
        report.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }

    static String summary(String cluster, Totals t) {
        return "arm64 readiness of cluster " + cluster + ": " + t.count(Verdict.READY) + " ready, "
                + t.count(Verdict.BLOCKED) + " blocked, " + t.count(Verdict.UNKNOWN) + " unknown\n"
                + "Saving if the ready workloads ran on arm64: " + dollars(t.saving()) + "/month (" + cpu(t.movable().cpuMillis())
                + " cpu, " + memory(t.movable().memoryBytes()) + " move); blocked workloads forgo " + dollars(t.forgone())
                + "/month; unknown ones hold " + dollars(t.atStake()) + "/month at stake\n";
    }

    private static void totalsRow(TextTable table, String name, Totals t) {
        table.row(name, t.count(Verdict.READY), t.count(Verdict.BLOCKED), t.count(Verdict.UNKNOWN),
                cpu(t.movable().cpuMillis()), memory(t.movable().memoryBytes()), dollars(t.saving()),
                dollars(t.forgone()), dollars(t.atStake()));
    }

    /** {@code 3 x86-general (amd64), 1 arm-general (arm64)}. */
    static String where(WorkloadReport w) {
        if (w.workload().placements().isEmpty()) {
            return "no pods";
        }
        return w.workload().placements().stream().map(p -> p.pods() + " " + p.where()).collect(Collectors.joining(", "));
    }

    /** {@code $5.91}, {@code ($5.91 forgone)}, {@code ($1.97 at stake)}, {@code unpriced}, {@code -} when nothing moves. */
    static String saving(WorkloadReport w) {
        Saving s = w.saving();
        if (!s.priced()) {
            return "unpriced: " + s.unpriced();
        }
        if (s.pods() == 0) {
            return "-";
        }
        return switch (w.verdict()) {
            case READY -> dollars(s.perMonth());
            case BLOCKED -> "(" + dollars(s.perMonth()) + " forgone)";
            case UNKNOWN -> "(" + dollars(s.perMonth()) + " at stake)";
        };
    }
}
