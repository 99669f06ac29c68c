package io.archscaler.hpa;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.archscaler.config.PrometheusConfig;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.MetricSample;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Prometheus source against WireMock answering in the Prometheus HTTP API format, asserting the exact queries. */
class PrometheusMetricSourceTest {
    static final String ADAPTER_RULES = """
            rules:
            - seriesQuery: '{__name__=~"^http_requests_.*",namespace!="",pod!=""}'
              resources:
                overrides:
                  namespace: {resource: namespace}
                  pod: {resource: pod}
              name: {matches: "^(.*)_total$", as: "${1}_per_second"}
              metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'
            """;
    static final String ADAPTER_QUERY =
            "sum(rate(http_requests_total{namespace=\"shop\",pod=~\"checkout-[a-z0-9]+-[a-z0-9]+\"}[2m])) by (pod)";

    private WireMockServer prometheus;
    private Vertx vertx;
    private final List<MetricSample> samples = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        prometheus = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        prometheus.start();
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
        vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, m -> {
            samples.add(m.body());
            m.reply(null);
        });
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        prometheus.stop();
    }

    @Test
    void adapterRulesAndConfiguredQueriesBecomeMetricSamples(@TempDir Path dir) throws Exception {
        double now = Instant.now().getEpochSecond();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/series"))
                .withQueryParam("match[]", equalTo("{__name__=~\"^http_requests_.*\",namespace!=\"\",pod!=\"\"}"))
                .withQueryParam("start", matching("[0-9]+"))
                .willReturn(json(new JsonObject().put("status", "success").put("data", new JsonArray()
                        .add(new JsonObject().put("__name__", "http_requests_total").put("namespace", "shop"))
                        .add(new JsonObject().put("__name__", "http_requests_in_flight").put("namespace", "shop"))))));
        stubQuery(ADAPTER_QUERY, vector(now, Map.of("pod", "checkout-7d9f8c6b5-aaaaa"), "120",
                Map.of("pod", "checkout-7d9f8c6b5-bbbbb"), "180"));
        stubQuery("sum by (queue) (rabbitmq_queue_messages_ready{queue=\"orders\"})",
                vector(now, Map.of("queue", "orders", "vhost", "a"), "40", Map.of("queue", "orders", "vhost", "b"), "60"));
        stubQuery("inflight_requests{namespace=\"shop\"}", vector(now, Map.of("pod", "p1"), "3", Map.of("pod", "p2"), "5"));

        deploy(config(dir, List.of(
                new PrometheusConfig.Query("shop", "checkout", "queue_messages_ready",
                        "sum by (queue) (rabbitmq_queue_messages_ready{queue=\"orders\"})"),
                new PrometheusConfig.Query("shop", "checkout", "inflight_requests", "inflight_requests{namespace=\"shop\"}")),
                true), List.of(checkoutHpa()));

        await().atMost(Duration.ofSeconds(30)).until(() -> samples.stream().map(MetricSample::metric).distinct().count() == 3);
        MetricSample rps = first("http_requests_per_second");
        assertThat(rps.value()).isEqualTo(150.0);
        assertThat(rps.cluster()).isEqualTo("prod");
        assertThat(rps.namespace()).isEqualTo("shop");
        assertThat(rps.hpa()).isEqualTo("checkout");
        assertThat(rps.timestamp()).isEqualTo(Instant.ofEpochSecond((long) now, 123_000_000));
        // External: the sum of the series; Pods: their average
        assertThat(first("queue_messages_ready").value()).isEqualTo(100.0);
        assertThat(first("inflight_requests").value()).isEqualTo(4.0);
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(ADAPTER_QUERY)));
    }

    @Test
    void aFailingOrEmptyQuerySendsNothingAndTheOthersGoOn(@TempDir Path dir) throws Exception {
        double now = Instant.now().getEpochSecond();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("rate(broken["))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:12: parse error: unclosed\"}")));
        stubQuery("absent_metric", vector(now));
        stubQuery("vector(NaN)", vector(now, Map.of(), "NaN"));
        stubQuery("good", vector(now, Map.of(), "7.5"));

        deploy(config(dir, List.of(
                new PrometheusConfig.Query("shop", "checkout", "a", "rate(broken["),
                new PrometheusConfig.Query("shop", "checkout", "b", "absent_metric"),
                new PrometheusConfig.Query("shop", "checkout", "c", "vector(NaN)"),
                new PrometheusConfig.Query("shop", "checkout", "d", "good")), false), List.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> samples.size() >= 2);
        assertThat(samples).extracting(MetricSample::metric).containsOnly("d");
        assertThat(samples.get(0).value()).isEqualTo(7.5);
    }

    @Test
    void aScalarResultIsItsValue(@TempDir Path dir) throws Exception {
        double now = Instant.now().getEpochSecond();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("scalar(up)"))
                .willReturn(json(new JsonObject().put("status", "success").put("data", new JsonObject()
                        .put("resultType", "scalar").put("result", new JsonArray().add(now).add("42"))))));
        deploy(config(dir, List.of(new PrometheusConfig.Query("shop", "checkout", "s", "scalar(up)")), false), List.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> !samples.isEmpty());
        assertThat(samples.get(0).value()).isEqualTo(42.0);
    }

    private MetricSample first(String metric) {
        return samples.stream().filter(s -> s.metric().equals(metric)).findFirst().orElseThrow();
    }

    private void deploy(PrometheusConfig config, List<HorizontalPodAutoscaler> hpas) throws Exception {
        vertx.deployVerticle(new PrometheusMetricSource(config, "prod", () -> hpas, Clock.systemUTC()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private PrometheusConfig config(Path dir, List<PrometheusConfig.Query> queries, boolean adapter) throws IOException {
        Optional<Path> rules = Optional.empty();
        if (adapter) {
            rules = Optional.of(Files.writeString(dir.resolve("adapter.yaml"), ADAPTER_RULES));
        }
        return new PrometheusConfig(URI.create("http://127.0.0.1:" + prometheus.port()), Duration.ofMillis(300), queries,
                rules);
    }

    static HorizontalPodAutoscaler checkoutHpa() {
        return new HorizontalPodAutoscalerBuilder(HpaObjects.hpa(4)).editSpec()
                .addNewMetric().withType("External").withNewExternal()
                .withNewMetric().withName("queue_messages_ready")
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("queue", "orders")).build()).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("30")).endTarget()
                .endExternal().endMetric()
                .addNewMetric().withType("Pods").withNewPods()
                .withNewMetric().withName("inflight_requests").endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("10")).endTarget()
                .endPods().endMetric()
                .endSpec().build();
    }

    private void stubQuery(String query, JsonObject answer) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(json(answer)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(JsonObject body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
    }

    /** A Prometheus instant-vector answer: label maps and values alternating. */
    static JsonObject vector(double time, Object... labelsAndValues) {
        JsonArray result = new JsonArray();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) labelsAndValues[i];
            result.add(new JsonObject().put("metric", new JsonObject(labels))
                    .put("value", new JsonArray().add(time + 0.123).add(labelsAndValues[i + 1])));
        }
        return new JsonObject().put("status", "success")
                .put("data", new JsonObject().put("resultType", "vector").put("result", result));
    }
}
