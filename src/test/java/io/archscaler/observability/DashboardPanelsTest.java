package io.archscaler.observability;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.MetricNames;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards' panels without a Prometheus: each query groups and filters only by labels its
 * metrics carry, panels do not overlap, and the node groups dashboard shows spot and offerings.
 * ({@link PrometheusEndToEndIT} runs every query against a real Prometheus.)
 */
class DashboardPanelsTest {
    private static final Pattern METRIC = Pattern.compile("archscaler_[a-z0-9_]*[a-z0-9]");
    private static final Pattern BY = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
    /** Labels Prometheus's scrape adds to every series (the ServiceMonitor's target), and the histogram bucket's. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "service", "pod",
            "container", "endpoint", "le");

    @Test
    void everyPanelQueryGroupsAndFiltersOnlyByLabelsItsMetricsCarry() {
        Map<String, Set<String>> labelsOfSample = exportedLabels();
        List<String> problems = new ArrayList<>();
        for (Dashboards.PanelQuery q : Dashboards.panelQueries()) {
            Set<String> carried = new TreeSet<>(TARGET_LABELS);
            Matcher m = METRIC.matcher(q.expr());
            while (m.find()) {
                carried.addAll(labelsOfSample.getOrDefault(m.group(), Set.of()));
            }
            for (String label : usedLabels(q.expr())) {
                if (!carried.contains(label)) {
                    problems.add(q + " -> no metric of it carries " + label);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void panelsOfADashboardHaveDistinctIdsAndDoNotOverlap() {
        for (Path file : RepoFiles.dashboards()) {
            List<JsonObject> panels = new ArrayList<>();
            Dashboards.load(file).getJsonArray("panels").forEach(p -> panels.add((JsonObject) p));
            assertThat(panels).extracting(p -> p.getInteger("id")).as(file + " panel ids").doesNotHaveDuplicates();
            for (int i = 0; i < panels.size(); i++) {
                for (int j = i + 1; j < panels.size(); j++) {
                    assertThat(overlap(panels.get(i), panels.get(j)))
                            .as(file.getFileName() + ": " + panels.get(i).getString("title") + " and "
                                    + panels.get(j).getString("title") + " overlap").isFalse();
                }
            }
        }
    }

    @Test
    void theNodeGroupsDashboardShowsSpotShareOfferingsScaleUpsByCapacityTypeAndInterruptions() {
        List<Dashboards.PanelQuery> queries = Dashboards.panelQueries().stream()
                .filter(q -> q.dashboard().equals("Archscaler / Node groups")).toList();

        assertThat(queries).anySatisfy(q -> assertThat(q.expr()).contains(MetricNames.SPOT_NODE_RATIO)
                .containsPattern("by \\(arch\\)"));
        assertThat(queries).anySatisfy(q -> assertThat(q.expr()).contains(MetricNames.OFFERINGS_UNAVAILABLE)
                .contains("capacity_type"));
        assertThat(queries).anySatisfy(q -> assertThat(q.expr()).contains(MetricNames.SCALE_UPS + "_total")
                .containsPattern("by \\([^)]*capacity_type"));
        assertThat(queries).anySatisfy(q -> assertThat(q.expr()).contains(MetricNames.FAILED_SCALE_UPS + "_total")
                .containsPattern("by \\([^)]*capacity_type"));
        assertThat(queries).anySatisfy(q -> assertThat(q.expr()).contains(MetricNames.INTERRUPTIONS + "_total")
                .contains("by (kind, outcome)"));
    }

    /** Every sample name the application exports, with the labels of its family. */
    private static Map<String, Set<String>> exportedLabels() {
        Map<String, Set<String>> out = new HashMap<>();
        try (ArchscalerMetrics m = AllMeters.exercised()) {
            AllMeters.families(m.scrape(), MetricNames.PREFIX).values()
                    .forEach(f -> AllMeters.sampleNames(f).forEach(s -> out.put(s, f.labels())));
        }
        return out;
    }

    /** The labels of a query's {@code by (...)}/{@code without (...)} clauses and series matchers. */
    private static Set<String> usedLabels(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            for (String label : by.group(1).split(",")) {
                if (!label.isBlank()) {
                    out.add(label.trim());
                }
            }
        }
        Matcher matcher = MATCHER.matcher(expr);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        out.remove("__name__");
        return out;
    }

    private static boolean overlap(JsonObject a, JsonObject b) {
        JsonObject p = a.getJsonObject("gridPos");
        JsonObject q = b.getJsonObject("gridPos");
        return p.getInteger("x") < q.getInteger("x") + q.getInteger("w")
                && q.getInteger("x") < p.getInteger("x") + p.getInteger("w")
                && p.getInteger("y") < q.getInteger("y") + q.getInteger("h")
                && q.getInteger("y") < p.getInteger("y") + p.getInteger("h");
    }
}
