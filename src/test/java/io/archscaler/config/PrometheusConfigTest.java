package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code prometheus} block and {@code scaleUp.headroomTtl}. */
class PrometheusConfigTest {
    private static final String MINIMAL = """
            cluster: dev
            nodeGroups:
              - {name: arm, provider: eks, instanceType: m7g.large, maxSize: 10}
            """;

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    @Test
    void readsQueriesAndTheAdapterRulesFile(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("adapter.yaml"), "rules: []\n");
        ArchscalerConfig config = loader.parse(MINIMAL + """
                scaleUp: {headroomTtl: 2m}
                prometheus:
                  url: http://prometheus.monitoring:9090
                  interval: 30s
                  queries:
                    - hpa: shop/checkout
                      metric: http_requests_per_second
                      query: 'avg(rate(http_requests_total{namespace="shop",pod=~"checkout-.*"}[2m]))'
                  adapterRules: %s
                """.formatted(rules), "config.yaml");

        assertThat(config.scaleUp().headroomTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.prometheus()).contains(new PrometheusConfig(URI.create("http://prometheus.monitoring:9090"),
                Duration.ofSeconds(30), List.of(new PrometheusConfig.Query("shop", "checkout", "http_requests_per_second",
                "avg(rate(http_requests_total{namespace=\"shop\",pod=~\"checkout-.*\"}[2m]))")), Optional.of(rules)));
    }

    @Test
    void defaultsAreFifteenSecondsAndFiveMinutesAndNoPrometheus() {
        ArchscalerConfig config = loader.parse(MINIMAL, "config.yaml");
        assertThat(config.prometheus()).isEmpty();
        assertThat(config.scaleUp().headroomTtl()).isEqualTo(Duration.ofMinutes(5));
        ArchscalerConfig withQueries = loader.parse(MINIMAL + """
                prometheus:
                  url: https://prom.example:9090/prometheus
                  queries: [{hpa: shop/checkout, metric: rps, query: "sum(rps)"}]
                """, "config.yaml");
        assertThat(withQueries.prometheus().orElseThrow().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(withQueries.prometheus().orElseThrow().adapterRules()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no url            | prometheus: {queries: [{hpa: a/b, metric: m, query: q}]}                        | config.yaml:4: prometheus.url: required
            bad url           | prometheus: {url: 'prom:9090', queries: [{hpa: a/b, metric: m, query: q}]}      | config.yaml:4: prometheus.url: expected an http or https URL of Prometheus such as http://prometheus.monitoring:9090 (got "prom:9090")
            nothing to query  | prometheus: {url: 'http://p:9090'}                                              | config.yaml:4: prometheus: give queries, adapterRules or both
            hpa without ns    | prometheus: {url: 'http://p:9090', queries: [{hpa: checkout, metric: m, query: q}]} | config.yaml:4: prometheus.queries[0].hpa: expected namespace/name of an HPA such as shop/checkout (got "checkout")
            empty query       | prometheus: {url: 'http://p:9090', queries: [{hpa: a/b, metric: m, query: ' '}]} | config.yaml:4: prometheus.queries[0].query: must not be empty
            unknown query key | prometheus: {url: 'http://p:9090', queries: [{hpa: a/b, metric: m, promql: q}]} | config.yaml:4: prometheus.queries[0].promql: unknown key (expected one of: hpa, metric, query)
            duplicate metric  | prometheus: {url: 'http://p:9090', queries: [{hpa: a/b, metric: m, query: q}, {hpa: a/b, metric: m, query: r}]} | config.yaml:4: prometheus.queries[1].metric: HPA a/b metric m already has a query in prometheus.queries[0]
            zero interval     | prometheus: {url: 'http://p:9090', interval: 0s, queries: [{hpa: a/b, metric: m, query: q}]} | config.yaml:4: prometheus.interval: must be longer than 0s
            missing rules     | prometheus: {url: 'http://p:9090', adapterRules: /nonexistent/adapter.yaml}     | config.yaml:4: prometheus.adapterRules: no readable file /nonexistent/adapter.yaml
            zero headroomTtl  | scaleUp: {headroomTtl: 0s}                                                       | config.yaml:4: scaleUp.headroomTtl: must be longer than 0s
            """)
    void badPrometheusSettingsAreRefusedNamingTheKey(String what, String yaml, String message) {
        assertThatThrownBy(() -> loader.parse(MINIMAL + yaml + "\n", "config.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
