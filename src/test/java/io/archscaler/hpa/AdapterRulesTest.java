package io.archscaler.hpa;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queries rendered from prometheus-adapter rules, as the adapter's metricsQuery.Build renders them. */
class AdapterRulesTest {
    static final String RULES = """
            rules:
            # the adapter's walkthrough: per-pod request rates
            - seriesQuery: 'http_requests_total{namespace!="",pod!=""}'
              resources:
                overrides:
                  namespace: {resource: "namespace"}
                  pod: {resource: "pod"}
              name:
                matches: "^(.*)_total$"
                as: "${1}_per_second"
              metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'
            # cAdvisor counters, found by discovery
            - seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}'
              seriesFilters:
              - isNot: "^container_.*_seconds_total$"
              resources:
                template: "<<.Resource>>"
              name:
                matches: "^container_(.*)_total$"
              metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[1m])) by (<<.GroupBy>>)'
            # an ingress-level rate, for Object metrics
            - seriesQuery: '{__name__="nginx_ingress_controller_requests",ingress!=""}'
              resources:
                overrides:
                  exported_namespace: {resource: "namespaces"}
                  ingress: {group: "networking.k8s.io", resource: "ingresses"}
              name:
                matches: "nginx_ingress_controller_requests"
                as: "requests_per_second"
              metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'
            externalRules:
            - seriesQuery: '{__name__=~"^queue_messages_ready$",queue!=""}'
              resources:
                overrides:
                  namespace: {resource: "namespace"}
              metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
            """;

    private final AdapterRules rules = AdapterRules.parse(RULES, "adapter.yaml");
    private final Function<String, List<String>> nothingDiscovered = q -> List.of();

    @Test
    void aPodsMetricGetsTheNamespaceAndTheWorkloadsPodNames() {
        assertThat(rules.query(hpa("Deployment", "checkout"), pods("http_requests_per_second"), nothingDiscovered))
                .contains("sum(rate(http_requests_total{namespace=\"shop\",pod=~\"checkout-[a-z0-9]+-[a-z0-9]+\"}[2m]))"
                        + " by (pod)");
        assertThat(rules.query(hpa("StatefulSet", "ledger.v2"), pods("http_requests_per_second"), nothingDiscovered))
                .contains("sum(rate(http_requests_total{namespace=\"shop\",pod=~\"ledger\\\\.v2-[0-9]+\"}[2m])) by (pod)");
    }

    @Test
    void theMetricSelectorComesFirstByKeyAsTheAdapterWritesIt() {
        MetricSpec m = new MetricSpecBuilder(pods("http_requests_per_second")).editPods().editMetric()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("verb", "GET"))
                        .addNewMatchExpression().withKey("code").withOperator("In").withValues("200", "201").endMatchExpression()
                        .addNewMatchExpression().withKey("route").withOperator("Exists").endMatchExpression()
                        .build())
                .endMetric().endPods().build();
        assertThat(rules.query(hpa("Deployment", "checkout"), m, nothingDiscovered)).contains(
                "sum(rate(http_requests_total{code=~\"200|201\",route!=\"\",verb=\"GET\",namespace=\"shop\","
                        + "pod=~\"checkout-[a-z0-9]+-[a-z0-9]+\"}[2m])) by (pod)");
    }

    @Test
    void anObjectMetricNamesTheObjectByTheLabelItsResourceIsMappedTo() {
        MetricSpec m = new MetricSpecBuilder().withType("Object").withNewObject()
                .withNewDescribedObject().withApiVersion("networking.k8s.io/v1").withKind("Ingress").withName("shop")
                .endDescribedObject()
                .withNewMetric().withName("requests_per_second").endMetric()
                .withNewTarget().withType("Value").withValue(new Quantity("2k")).endTarget()
                .endObject().build();
        assertThat(rules.query(hpa("Deployment", "checkout"), m, nothingDiscovered)).contains(
                "sum(rate(nginx_ingress_controller_requests{exported_namespace=\"shop\",ingress=\"shop\"}[2m]))"
                        + " by (ingress)");
    }

    @Test
    void anExternalMetricUsesTheExternalRulesAndGroupsByNothing() {
        MetricSpec m = new MetricSpecBuilder().withType("External").withNewExternal()
                .withNewMetric().withName("queue_messages_ready")
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("queue", "orders")).build()).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("30")).endTarget()
                .endExternal().build();
        assertThat(rules.query(hpa("Deployment", "checkout"), m, nothingDiscovered))
                .contains("sum(queue_messages_ready{queue=\"orders\",namespace=\"shop\"}) by ()");
    }

    @Test
    void rulesWhoseSeriesQuerySelectsManyNamesUseTheNamesPrometheusHas() {
        assertThat(rules.seriesToDiscover())
                .containsExactly("{__name__=~\"^container_.*\",container!=\"POD\",namespace!=\"\",pod!=\"\"}");
        Function<String, List<String>> discovered = q -> q.contains("container_") ? List.of(
                "container_cpu_usage_seconds_total", "container_network_receive_bytes_total") : List.of();
        assertThat(rules.query(hpa("Deployment", "checkout"), pods("network_receive_bytes"), discovered)).contains(
                "sum(rate(container_network_receive_bytes_total{namespace=\"shop\",pod=~\"checkout-[a-z0-9]+-[a-z0-9]+\","
                        + "container!=\"POD\"}[1m])) by (pod)");
        // seriesFilters: the seconds counters are left to other rules
        assertThat(rules.query(hpa("Deployment", "checkout"), pods("cpu_usage_seconds"), discovered)).isEmpty();
        assertThat(rules.query(hpa("Deployment", "checkout"), pods("network_receive_bytes"), nothingDiscovered)).isEmpty();
    }

    @Test
    void metricsNoRuleServesAndResourceMetricsHaveNoQuery() {
        assertThat(rules.query(hpa("Deployment", "checkout"), pods("queue_length"), nothingDiscovered)).isEmpty();
        MetricSpec cpu = new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(70).endTarget().endResource().build();
        assertThat(rules.query(hpa("Deployment", "checkout"), cpu, nothingDiscovered)).isEmpty();
    }

    @Test
    void readsTheHelmChartsRulesCustomAndExternal() {
        AdapterRules helm = AdapterRules.parse("""
                rules:
                  default: false
                  custom:
                  - seriesQuery: 'jobs_waiting{namespace!="",pod!=""}'
                    resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
                    metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>) / <<.LabelValuesByName.namespace>>'
                  external: []
                """, "values.yaml");
        assertThat(helm.size()).isEqualTo(1);
        // no name rule: the series name is the metric name
        assertThat(helm.query(hpa("ReplicaSet", "worker"), pods("jobs_waiting"), nothingDiscovered))
                .contains("avg(jobs_waiting{namespace=\"shop\",pod=~\"worker-[a-z0-9]+\"}) by (pod) / shop");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no metricsQuery      | rules: [{seriesQuery: 'x'}]                                                              | adapter.yaml: rules[0].metricsQuery: missing
            bad regex            | rules: [{seriesQuery: 'x', metricsQuery: 'x', name: {matches: '(unclosed'}}]             | adapter.yaml: rules[0].name.matches: invalid regular expression "(unclosed": missing closing )
            lookahead, not RE2   | rules: [{seriesQuery: 'x', metricsQuery: 'x', name: {matches: 'a(?=b)'}}]              | adapter.yaml: rules[0].name.matches: invalid regular expression "a(?=b)": invalid or unsupported Perl syntax
            two groups, no as    | rules: [{seriesQuery: 'x', metricsQuery: 'x', name: {matches: '(a)_(b)'}}]               | adapter.yaml: rules[0].name.as: required when name.matches has more than one group
            filter with both     | rules: [{seriesQuery: 'x', metricsQuery: 'x', seriesFilters: [{is: a, isNot: b}]}]       | adapter.yaml: rules[0].seriesFilters[0]: give exactly one of is and isNot
            no rules at all      | resourceRules: {}                                                                        | adapter.yaml: no rules (expected rules: or externalRules: with at least one rule)
            rules not a list     | 'externalRules: 3'                                                                       | adapter.yaml: externalRules: expected a list of rules
            """)
    void badRulesAreRefusedNamingTheRule(String what, String yaml, String message) {
        assertThatThrownBy(() -> AdapterRules.parse(yaml, "adapter.yaml"))
                .isInstanceOf(HpaTranslationException.class).hasMessage(message);
    }

    @Test
    void anUnsupportedTemplateActionIsReportedWhenTheQueryIsRendered() {
        AdapterRules r = AdapterRules.parse("""
                rules:
                - seriesQuery: 'rps{namespace!="",pod!=""}'
                  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
                  metricsQuery: 'sum(<<range .GroupBySlice>>x<<end>>)'
                """, "adapter.yaml");
        assertThatThrownBy(() -> r.query(hpa("Deployment", "checkout"), pods("rps"), nothingDiscovered))
                .hasMessage("adapter.yaml: rules[0].metricsQuery: unsupported template action <<range .GroupBySlice>>");
    }

    @Test
    void goRegexTemplatesExpandAsGoDoes() {
        AdapterRules r = AdapterRules.parse("""
                rules:
                - seriesQuery: 'app_jobs_done_total'
                  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
                  name: {matches: '^app_(?P<what>[a-z]+)_(.*)_total$', as: '${what}_${2}_rate$$'}
                  metricsQuery: '<<.Series>>'
                """, "adapter.yaml");
        assertThat(r.query(hpa("Deployment", "checkout"), pods("jobs_done_rate$"), nothingDiscovered))
                .isEqualTo(Optional.of("app_jobs_done_total"));
    }

    static HorizontalPodAutoscaler hpa(String kind, String name) {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withNamespace("shop").withName(name).endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind(kind).withName(name)
                .endScaleTargetRef().withMaxReplicas(10).endSpec().build();
    }

    static MetricSpec pods(String metric) {
        return new MetricSpecBuilder().withType("Pods").withNewPods()
                .withNewMetric().withName(metric).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("100")).endTarget()
                .endPods().build();
    }
}
