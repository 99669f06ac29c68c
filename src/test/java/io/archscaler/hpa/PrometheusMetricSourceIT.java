package io.archscaler.hpa;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.archscaler.config.PrometheusConfig;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.MetricSample;
import io.archscaler.kube.KubePods;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Prometheus source end to end: against a real Prometheus (Debian's {@code prometheus},
 * started here on a free loopback port, scraping a target this test serves) when one is
 * installed, and otherwise against WireMock answering in the Prometheus HTTP API format. Samples
 * go on the bus to an {@link HpaHeadroom}, which predicts the HPA's replicas.
 */
class PrometheusMetricSourceIT {
    private static final String EXPOSITION = """
            # HELP checkout_inflight_requests Requests being served.
            # TYPE checkout_inflight_requests gauge
            checkout_inflight_requests{namespace="shop",pod="checkout-7d9f8c6b5-aaaaa"} 150
            checkout_inflight_requests{namespace="shop",pod="checkout-7d9f8c6b5-bbbbb"} 250
            checkout_inflight_requests{namespace="shop",pod="cart-5f6d7c8b9-zzzzz"} 10000
            # HELP orders_queue_depth Messages waiting.
            # TYPE orders_queue_depth gauge
            orders_queue_depth{queue="orders"} 360
            """;
    private static final String RULES = """
            rules:
            - seriesQuery: 'checkout_inflight_requests{namespace!="",pod!=""}'
              resources:
                overrides:
                  namespace: {resource: namespace}
                  pod: {resource: pod}
              metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
            """;
    private static final String POD_QUERY =
            "sum(checkout_inflight_requests{namespace=\"shop\",pod=~\"checkout-[a-z0-9]+-[a-z0-9]+\"}) by (pod)";
    private static final String QUEUE_QUERY = "sum(orders_queue_depth{queue=\"orders\"})";

    @TempDir
    Path dir;
    private Vertx vertx;
    private Process prometheus;
    private WireMockServer wireMock;
    private final List<MetricSample> samples = new CopyOnWriteArrayList<>();
    private final List<HpaHeadroom.Forecast> forecasts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
    }

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (wireMock != null) {
            wireMock.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void prometheusValuesBecomeSamplesAndAPredictionAheadOfTheHpa() throws Exception {
        // -Darchscaler.it.prometheus=wiremock exercises the WireMock path where Prometheus is installed
        Optional<Path> binary = "wiremock".equals(System.getProperty("archscaler.it.prometheus"))
                ? Optional.empty() : onPath("prometheus");
        URI url;
        if (binary.isPresent()) {
            url = startRealPrometheus(binary.get());
            System.out.println("PrometheusMetricSourceIT: using a real Prometheus (" + binary.get() + ") at " + url);
        } else {
            url = startWireMock();
            System.out.println("PrometheusMetricSourceIT: using WireMock at " + url
                    + " serving the Prometheus HTTP API format (no prometheus on PATH, or -Darchscaler.it.prometheus=wiremock)");
        }
        HpaHeadroom headroom = new HpaHeadroom("prod", Duration.ofMinutes(5), KubePods::toPendingPod, Clock.systemUTC());
        HorizontalPodAutoscaler hpa = hpa();
        vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, m -> {
            samples.add(m.body());
            headroom.onSample(m.body()).ifPresent(forecasts::add);
            m.reply(null);
        });
        vertx.runOnContext(v -> {
            headroom.onObject(hpa, false);
            headroom.onObject(HpaObjects.deployment(4), false);
        });
        PrometheusConfig config = new PrometheusConfig(url, Duration.ofSeconds(1),
                List.of(new PrometheusConfig.Query("shop", "checkout", "queue_messages_ready", QUEUE_QUERY)),
                Optional.of(Files.writeString(dir.resolve("adapter.yaml"), RULES)));
        vertx.deployVerticle(new PrometheusMetricSource(config, "prod", () -> List.of(hpa), Clock.systemUTC()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> has("checkout_inflight_requests") && has("queue_messages_ready"));
        // the per-pod average of the checkout pods only (the cart pod is another workload's)
        assertThat(last("checkout_inflight_requests").value()).isEqualTo(200.0);
        assertThat(last("queue_messages_ready").value()).isEqualTo(360.0);
        await().atMost(Duration.ofSeconds(60)).until(() -> forecasts.stream()
                .anyMatch(f -> f.prediction().metricReplicas() == 12));
        HpaHeadroom.Forecast f = forecasts.stream().filter(x -> x.prediction().metricReplicas() == 12).findFirst()
                .orElseThrow();
        // queue: ceil(360 / 30) = 12 beats pods: 2 x 4 = 8; without behavior the HPA at most doubles
        assertThat(f.prediction().metric()).isEqualTo("queue_messages_ready");
        assertThat(f.prediction().desiredReplicas()).isEqualTo(8);
        assertThat(f.headroomPods()).isEqualTo(4);
    }

    private boolean has(String metric) {
        return samples.stream().anyMatch(s -> s.metric().equals(metric));
    }

    private MetricSample last(String metric) {
        return samples.stream().filter(s -> s.metric().equals(metric)).reduce((a, b) -> b).orElseThrow();
    }

    private URI startRealPrometheus(Path binary) throws Exception {
        HttpServer target = vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4")
                        .end(EXPOSITION))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int port = freePort();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: checkout
                    honor_labels: true
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(target.actualPort()));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        URI url = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
        // wait for the first scrape
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            String body = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/query?query=orders_queue_depth")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return !new JsonObject(body).getJsonObject("data").getJsonArray("result").isEmpty();
        });
        return url;
    }

    private URI startWireMock() {
        wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        double now = Instant.now().getEpochSecond();
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(POD_QUERY))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(PrometheusMetricSourceTest
                        .vector(now, Map.of("pod", "checkout-7d9f8c6b5-aaaaa"), "150",
                                Map.of("pod", "checkout-7d9f8c6b5-bbbbb"), "250").encode())));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(QUEUE_QUERY))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(PrometheusMetricSourceTest
                        .vector(now, Map.of(), "360").encode())));
        return URI.create("http://127.0.0.1:" + wireMock.port());
    }

    private static HorizontalPodAutoscaler hpa() {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withNamespace("shop").withName("checkout").endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("checkout").endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(40)
                .addNewMetric().withType("Pods").withNewPods()
                .withNewMetric().withName("checkout_inflight_requests").endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("100")).endTarget()
                .endPods().endMetric()
                .addNewMetric().withType("External").withNewExternal()
                .withNewMetric().withName("queue_messages_ready")
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("queue", "orders")).build()).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("30")).endTarget()
                .endExternal().endMetric()
                .endSpec()
                .withNewStatus().withCurrentReplicas(4).withDesiredReplicas(4).endStatus()
                .build();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
