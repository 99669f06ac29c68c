package io.archscaler.readiness;

import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.readiness.BlockedImage;
import io.archscaler.scaler.readiness.ReadinessReport;
import io.archscaler.scaler.readiness.Totals;
import io.archscaler.scaler.readiness.Verdict;
import io.archscaler.scaler.readiness.WorkloadId;
import io.archscaler.scaler.readiness.WorkloadReport;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static io.archscaler.scaler.readiness.Amount.cpu;
import static io.archscaler.scaler.readiness.Amount.dollars;
import static io.archscaler.scaler.readiness.Amount.memory;

/**
 * The report as one self-contained HTML page: no script, no external stylesheet, font or image.
 * A bar chart in inline SVG shows each namespace's saving, forgone saving and saving at stake;
 * then come the blocked images, the workloads, the totals and the notes. Elements carry ids and
 * classes ({@code total-saving}, {@code data-namespace}, {@code bar saving}) so tools can read them.
 */
final class ReadinessHtml {
    static final int BAR_WIDTH = 420;
    private static final int ROW = 66;
    private static final int LABEL = 160;
    private static final String[] SERIES = {"saving", "forgone", "at-stake"};

    private ReadinessHtml() {
    }

    static String of(String cluster, ReadinessReport report) {
        Totals t = report.cluster();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>arm64 readiness of ").append(esc(cluster)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>arm64 readiness of cluster ").append(esc(cluster)).append("</h1>\n");
        h.append("<p class=\"summary\"><span id=\"count-ready\">").append(t.count(Verdict.READY))
                .append("</span> ready, <span id=\"count-blocked\">").append(t.count(Verdict.BLOCKED))
                .append("</span> blocked, <span id=\"count-unknown\">").append(t.count(Verdict.UNKNOWN))
                .append("</span> unknown. Saving if the ready workloads ran on arm64: <strong id=\"total-saving\">")
                .append(dollars(t.saving())).append("</strong>/month (<span id=\"total-movable-cpu\">")
                .append(cpu(t.movable().cpuMillis())).append("</span> cpu, <span id=\"total-movable-memory\">")
                .append(memory(t.movable().memoryBytes())).append("</span> move); blocked workloads forgo <span id=\"total-forgone\">")
                .append(dollars(t.forgone())).append("</span>/month; unknown ones hold <span id=\"total-at-stake\">")
                .append(dollars(t.atStake())).append("</span>/month at stake.</p>\n");
        chart(h, report.byNamespace());
        blockedImages(h, report.blockedImages());
        workloads(h, report.workloads());
        totals(h, report);
        h.append("<h2>Notes</h2>\n<ul id=\"notes\">\n");
        report.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
        h.append("</ul>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void chart(StringBuilder h, Map<String, Totals> byNamespace) {
        double max = byNamespace.values().stream().flatMap(t -> List.of(t.saving(), t.forgone(), t.atStake()).stream())
                .mapToDouble(Double::doubleValue).max().orElse(0);
        int height = Math.max(ROW, byNamespace.size() * ROW) + 10;
        int width = LABEL + BAR_WIDTH + 120;
        h.append("<h2>Savings by namespace, per month</h2>\n<svg id=\"savings-chart\" xmlns=\"http://www.w3.org/2000/svg\"")
                .append(" width=\"").append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" role=\"img\">\n")
                .append("<title>Monthly saving (ready), forgone saving (blocked) and saving at stake (unknown) by namespace</title>\n");
        int y = 6;
        for (Map.Entry<String, Totals> e : byNamespace.entrySet()) {
            Totals t = e.getValue();
            double[] values = {t.saving(), t.forgone(), t.atStake()};
            h.append("<g class=\"namespace\" data-namespace=\"").append(esc(e.getKey())).append("\">\n")
                    .append("<text class=\"name\" x=\"0\" y=\"").append(y + 24).append("\">").append(esc(e.getKey())).append("</text>\n");
            for (int i = 0; i < SERIES.length; i++) {
                int barY = y + i * 20;
                double w = max <= 0 ? 0 : Math.max(0, values[i]) / max * BAR_WIDTH;
                h.append("<rect class=\"bar ").append(SERIES[i]).append("\" x=\"").append(LABEL).append("\" y=\"").append(barY)
                        .append("\" height=\"16\" width=\"").append(String.format(Locale.ROOT, "%.2f", w)).append("\"/>")
                        .append("<text class=\"value ").append(SERIES[i]).append("\" x=\"").append(LABEL + (int) Math.ceil(w) + 6)
                        .append("\" y=\"").append(barY + 13).append("\">").append(dollars(values[i])).append("</text>\n");
            }
            h.append("</g>\n");
            y += ROW;
        }
        h.append("</svg>\n<p class=\"legend\"><span class=\"key saving\"></span> saving (ready)"
                + " <span class=\"key forgone\"></span> forgone (blocked) <span class=\"key at-stake\"></span> at stake (unknown)</p>\n");
    }

    private static void blockedImages(StringBuilder h, List<BlockedImage> images) {
        h.append("<h2>Blocked images</h2>\n");
        if (images.isEmpty()) {
            h.append("<p id=\"blocked-images\">None: every image looked up has a linux/arm64 build.</p>\n");
            return;
        }
        h.append("<table id=\"blocked-images\">\n<tr><th>Image</th><th>Platforms</th><th>Forgone/month</th><th>Workloads</th></tr>\n");
        for (BlockedImage b : images) {
            h.append("<tr><td class=\"image\">").append(esc(b.image())).append("</td><td>")
                    .append(esc(String.join(", ", b.platforms()))).append("</td><td class=\"money\">")
                    .append(dollars(b.forgonePerMonth())).append("</td><td>")
                    .append(esc(b.workloads().stream().map(WorkloadId::toString).collect(Collectors.joining(", "))))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void workloads(StringBuilder h, List<WorkloadReport> workloads) {
        h.append("<h2>Workloads</h2>\n<table id=\"workloads\">\n<tr><th>Namespace</th><th>Kind</th><th>Name</th>")
                .append("<th>Verdict</th><th>Pods now</th><th>cpu/replica</th><th>memory/replica</th><th>cpu</th>")
                .append("<th>memory</th><th>Saving/month</th><th>Why</th></tr>\n");
        for (WorkloadReport w : workloads) {
            Resources one = w.perReplica();
            Resources all = w.total();
            h.append("<tr class=\"").append(w.verdict().word()).append("\"><td>").append(esc(w.id().namespace()))
                    .append("</td><td>").append(esc(w.id().kind())).append("</td><td>").append(esc(w.id().name()))
                    .append("</td><td class=\"verdict\">").append(w.verdict().word()).append("</td><td>")
                    .append(esc(ReadinessTable.where(w))).append("</td><td>").append(cpu(one.cpuMillis())).append("</td><td>")
                    .append(memory(one.memoryBytes())).append("</td><td>").append(cpu(all.cpuMillis())).append("</td><td>")
                    .append(memory(all.memoryBytes())).append("</td><td class=\"money\">").append(esc(ReadinessTable.saving(w)))
                    .append("</td><td>").append(esc(String.join("; ", w.assessment().reasons()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void totals(StringBuilder h, ReadinessReport report) {
        h.append("<h2>Totals</h2>\n<table id=\"totals\">\n<tr><th>Namespace</th><th>Ready</th><th>Blocked</th>")
                .append("<th>Unknown</th><th>Movable cpu</th><th>Movable memory</th><th>Saving/month</th>")
                .append("<th>Forgone/month</th><th>At stake/month</th></tr>\n");
        report.byNamespace().forEach((ns, t) -> totalsRow(h, ns, t, ""));
        totalsRow(h, "(cluster)", report.cluster(), " class=\"cluster\"");
        h.append("</table>\n");
    }

    private static void totalsRow(StringBuilder h, String name, Totals t, String attributes) {
        h.append("<tr").append(attributes).append("><td>").append(esc(name)).append("</td><td>").append(t.count(Verdict.READY))
                .append("</td><td>").append(t.count(Verdict.BLOCKED)).append("</td><td>").append(t.count(Verdict.UNKNOWN))
                .append("</td><td>").append(cpu(t.movable().cpuMillis())).append("</td><td>")
                .append(memory(t.movable().memoryBytes())).append("</td><td class=\"money\">").append(dollars(t.saving()))
                .append("</td><td class=\"money\">").append(dollars(t.forgone())).append("</td><td class=\"money\">")
                .append(dollars(t.atStake())).append("</td></tr>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 2em; color: #1b1f24; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border-bottom: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            td.money { text-align: right; white-space: nowrap; }
            tr.blocked td.verdict { color: #a40e26; font-weight: bold; }
            tr.ready td.verdict { color: #116329; font-weight: bold; }
            tr.unknown td.verdict { color: #7d4e00; font-weight: bold; }
            tr.cluster td { font-weight: bold; }
            svg text { font-size: 12px; fill: #1b1f24; }
            rect.saving, .key.saving { fill: #2da44e; background: #2da44e; }
            rect.forgone, .key.forgone { fill: #cf222e; background: #cf222e; }
            rect.at-stake, .key.at-stake { fill: #bf8700; background: #bf8700; }
            .key { display: inline-block; width: 0.9em; height: 0.9em; margin-left: 1em; }
            """;
}
