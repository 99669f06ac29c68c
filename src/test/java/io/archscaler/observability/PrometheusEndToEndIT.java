package io.archscaler.observability;

import io.archscaler.controller.StatusConfigMapWriter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus scrapes a running Archscaler in sandbox mode (arm64 and amd64 groups, pods
 * that are flexible, arch-locked and too big for any group, an arm64 capacity shortage that
 * forces a failed scale-up, a backoff and a fallback), then every dashboard panel, every alert
 * rule and every prometheus-adapter rule is evaluated through Prometheus's HTTP API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusEndToEndIT {
    // standard micrometer binders whose names Prometheus's linter dislikes; renaming them would break
    // the community JVM dashboards that expect them, so they are accepted here and nowhere else
    private static final Set<String> THIRD_PARTY_LINT = Set.of("process_cpu_time_ns_total", "system_cpu_count");

    private SandboxArchscaler archscaler;
    private PrometheusServer prometheus;
    private Path ruleFile;

    @BeforeAll
    void start() throws Exception {
        Tools.require("prometheus");
        archscaler = new SandboxArchscaler();
        archscaler.createPods("web", 4, "500m", Map.of());
        archscaler.createPods("legacy", 2, "500m", Map.of("kubernetes.io/arch", "amd64"));
        archscaler.createPods("native", 1, "500m", Map.of("kubernetes.io/arch", "arm64"));
        await().atMost(Duration.ofSeconds(60)).until(() -> archscaler.allBound("web") && archscaler.allBound("legacy")
                && archscaler.allBound("native"));
        // arm64 runs out: the next scale-up of arm fails, arm backs off and the burst falls back to amd64
        archscaler.cloud.setCapacityShortage("arm", true);
        archscaler.createPods("burst", 4, "500m", Map.of());
        archscaler.createPods("huge", 1, "64", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> archscaler.allBound("burst")
                && archscaler.get("/metrics").contains("archscaler_fallbacks_total{"));

        ruleFile = AlertRules.writeRuleFile(Files.createTempFile("archscaler-rules", ".yaml"));
        prometheus = new PrometheusServer("127.0.0.1:" + archscaler.httpPort(), ruleFile,
                "namespace: archscaler, service: archscaler, pod: archscaler-e2e-0");
        await().atMost(Duration.ofSeconds(60)).until(prometheus::ready);
        // a few scrapes, so rate() and increase() have two samples, and one evaluation of every rule
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                !prometheus.vector("count_over_time(up{job=\"archscaler\"}[1m]) >= 5").isEmpty()
                        && !prometheus.vector("up{job=\"archscaler\"} == 1").isEmpty()
                        && everyRuleEvaluated());
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (archscaler != null) {
            archscaler.close();
        }
        if (ruleFile != null) {
            Files.deleteIfExists(ruleFile);
        }
    }

    @Test
    void everyDashboardPanelExpressionParsesAndReturnsData() throws Exception {
        List<Dashboards.PanelQuery> queries = Dashboards.panelQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        for (Dashboards.PanelQuery q : queries) {
            JsonObject answer = prometheus.query(Dashboards.substitute(q.expr()));
            if (!"success".equals(answer.getString("status"))) {
                problems.add(q + " -> " + answer.getString("error"));
            } else if (answer.getJsonObject("data").getJsonArray("result").isEmpty() && !q.expr().contains("archscaler_fleet_")) {
                // archscaler_fleet_* come from a fleet replica only (FleetIT): here they must parse, and cannot have data
                problems.add(q + " -> no data");
            }
        }
        assertThat(problems).as("dashboard panels that fail or show no data").isEmpty();
    }

    @Test
    void dashboardQueryVariablesListTheNodeGroups() throws Exception {
        for (Path file : RepoFiles.dashboards()) {
            List<JsonObject> vars = Dashboards.variables(file);
            assertThat(vars).extracting(v -> v.getString("name")).as(file.toString())
                    .contains("datasource", "node_group");
            for (JsonObject v : vars) {
                if (!"query".equals(v.getString("type"))) {
                    continue;
                }
                String definition = v.getString("definition");
                var m = java.util.regex.Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(definition);
                assertThat(m.matches()).as(definition).isTrue();
                assertThat(PrometheusServer.names(prometheus.labelValues(m.group(2), m.group(1))))
                        .as(file.getFileName() + " variable " + v.getString("name"))
                        .containsExactlyElementsOf("cluster".equals(v.getString("name")) ? List.of("e2e") : List.of("arm", "x86"));
            }
        }
    }

    @Test
    void everyAlertRuleParsesAndPrometheusEvaluatesItWithoutError() throws Exception {
        List<String> problems = new ArrayList<>();
        for (AlertRules.Rule r : AlertRules.rules()) {
            JsonObject answer = prometheus.query(r.expr());
            if (!"success".equals(answer.getString("status"))) {
                problems.add(r.alert() + " -> " + answer.getString("error"));
            }
        }
        Set<String> loaded = new TreeSet<>();
        for (Object g : prometheus.ruleGroups()) {
            for (Object o : ((JsonObject) g).getJsonArray("rules")) {
                JsonObject rule = (JsonObject) o;
                loaded.add(rule.getString("name"));
                if (!"ok".equals(rule.getString("health"))) {
                    problems.add(rule.getString("name") + " evaluates with " + rule.getString("lastError"));
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(AlertRules.rules().stream().map(AlertRules.Rule::alert)
                .toList());
    }

    @Test
    void scaleUpFailureAlertFiresForTheGroupThatRanOutOfCapacity() throws Exception {
        JsonArray firing = prometheus.vector("ALERTS{alertname=\"ArchscalerScaleUpsFailing\"}");
        assertThat(firing).isNotEmpty();
        JsonObject labels = firing.getJsonObject(0).getJsonObject("metric");
        assertThat(labels.getString("node_group")).isEqualTo("arm");
        assertThat(labels.getString("reason")).isEqualTo("InsufficientCapacity");
        assertThat(prometheus.vector("ALERTS{alertname=~\"ArchscalerDown|ArchscalerNoLeader|ArchscalerSeveralLeaders\"}"))
                .as("availability alerts on a healthy single leader").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void adapterRulesSelectArchscalerSeriesAndTheirQueriesReturnData() throws Exception {
        Map<String, Object> config = new Yaml().load(RepoFiles.read(RepoFiles.adapterConfig()));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) config.get("rules");
        List<String> workloadRules = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            String seriesQuery = (String) rule.get("seriesQuery");
            String template = (String) rule.get("metricsQuery");
            if (!seriesQuery.contains("archscaler_")) {
                // the workload's own request counter: Archscaler does not export it, so only its syntax is checked
                workloadRules.add(seriesQuery);
                String q = template.replace("<<.Series>>", "http_requests_total")
                        .replace("<<.LabelMatchers>>", "namespace=\"shop\",pod=\"checkout-0\"").replace("<<.GroupBy>>", "pod");
                assertThat(prometheus.query(q).getString("status")).as(q).isEqualTo("success");
                continue;
            }
            JsonArray series = prometheus.series(seriesQuery);
            assertThat(series).as(seriesQuery).isNotEmpty();
            Set<String> names = new TreeSet<>();
            series.forEach(s -> names.add(((JsonObject) s).getString("__name__")));
            for (String name : names) {
                String q = template.replace("<<.Series>>", name)
                        .replace("<<.LabelMatchers>>", "namespace=\"archscaler\",service=\"archscaler\"")
                        .replace("<<.GroupBy>>", "service");
                assertThat(prometheus.vector(q)).as(q).isNotEmpty();
            }
        }
        assertThat(workloadRules).hasSize(1);
    }

    @Test
    void scrapeOfMetricsPassesPromtoolCheckMetrics() throws Exception {
        Path promtool = Tools.require("promtool");
        String scrape = archscaler.get("/metrics");
        assertThat(scrape).contains("vertx_eventbus_handlers", "jvm_memory_used_bytes", "archscaler_pending_pods");

        Tools.Result all = Tools.run(List.of(promtool.toString(), "check", "metrics"), scrape, 60);
        assertThat(all.exitCode()).as(all.output()).isIn(0, 3); // 3: lint problems only, the text parsed
        Set<String> flagged = new TreeSet<>();
        all.output().lines().filter(l -> !l.isBlank()).forEach(l -> flagged.add(l.split(" ", 2)[0]));
        assertThat(flagged).as(all.output()).isSubsetOf(THIRD_PARTY_LINT);

        Tools.Result ours = Tools.run(List.of(promtool.toString(), "check", "metrics"), archscalerFamilies(scrape), 60);
        assertThat(ours.exitCode()).as(ours.output()).isZero();
    }

    @Test
    void statusConfigMapDescribesTheRunningController() {
        ConfigMap cm = archscaler.client.configMaps().inNamespace(SandboxArchscaler.NAMESPACE)
                .withName(StatusConfigMapWriter.NAME).get();
        assertThat(cm).isNotNull();
        JsonObject status = new JsonObject(cm.getData().get(StatusConfigMapWriter.STATUS_KEY));
        assertThat(status.getString("cluster")).isEqualTo("e2e");
        assertThat(status.getBoolean("leader")).isTrue();
        assertThat(status.getJsonArray("nodeGroups").stream().map(g -> ((JsonObject) g).getString("name")))
                .containsExactly("arm", "x86");
        assertThat(java.time.Instant.parse(cm.getData().get(StatusConfigMapWriter.LAST_UPDATED_KEY))).isNotNull();
    }

    private boolean everyRuleEvaluated() throws Exception {
        JsonArray groups = prometheus.ruleGroups();
        if (groups.isEmpty()) {
            return false;
        }
        for (Object g : groups) {
            for (Object r : ((JsonObject) g).getJsonArray("rules")) {
                if (((JsonObject) r).getString("lastEvaluation", "0001").startsWith("0001")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The archscaler_* families of a scrape (HELP, TYPE and samples), without the JVM and Vert.x ones. */
    static String archscalerFamilies(String scrape) {
        StringBuilder out = new StringBuilder();
        for (String line : scrape.split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ").length > 2 ? line.split(" ")[2] : "" : line;
            if (name.startsWith("archscaler_")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
