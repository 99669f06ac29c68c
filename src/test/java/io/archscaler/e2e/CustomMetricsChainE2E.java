package io.archscaler.e2e;

import io.archscaler.controlplane.AuditLog;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.LoopbackPrometheus;
import io.archscaler.controlplane.PodRequestCounters;
import io.archscaler.controlplane.PrometheusAdapter;
import io.archscaler.controlplane.PrometheusAdapterBinary;
import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 004's chain with nothing played by a stand-in but the pods' own request counters: the
 * storefront pods' {@code http_requests_total} (served on loopback for kwok's pods) is scraped by
 * Debian's Prometheus; prometheus-adapter, built from its Go module and registered behind the real
 * kube-apiserver as {@code v1beta1.custom.metrics.k8s.io}, serves it as
 * {@code http_requests_per_second} with deploy/'s rules; the real HPA controller of
 * kube-controller-manager scales the Deployment on it; and Archscaler, reading the same rules from
 * the same Prometheus, asks for the nodes before the HPA's pods exist.
 */
@ExtendWith(SharedControlPlane.class)
class CustomMetricsChainE2E {
    private static final String NAMESPACE = "custom-metrics-e2e";
    private static final String APP = "storefront";
    private static final String GROUP = "custom-metrics-arm64";
    private static final String TAINT = "archscaler.io/e2e-custom-metrics";
    private static final String METRIC = "http_requests_per_second";
    private static final int REPLICAS = 2;
    private static final int TARGET_PER_POD = 50;
    /** Below the target: the HPA keeps its minimum. */
    private static final int QUIET_PER_POD = 20;
    /** Far above it; rate()'s two-minute window makes the per-pod value climb about 8/s towards it. */
    private static final int BUSY_PER_POD = 1000;
    /** The identity kube-controller-manager's HPA controller acts as (--use-service-account-credentials). */
    private static final String HPA_CONTROLLER = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
    private static final String CONFIG = """
            cluster: e2e-custom-metrics
            nodeGroups:
              - name: %s
                provider: simulated
                arch: arm64
                maxSize: 6
                capacity: {cpu: "2", memory: 8Gi, pods: 20}
                labels: {%s: custom-metrics}
                taints: [{key: %s, value: e2e, effect: NoSchedule}]
                simulated: {registrationDelay: 1s}
            scaleUp: {batchIdle: 500ms, batchMax: 3s}
            scaleDown: {enabled: false}
            leaderElection: {enabled: false, namespace: %s}
            images: {resolve: false}
            prometheus:
              url: %s
              interval: 250ms
              adapterRules: %s
            """;

    @Test
    void theRealHpaScalesOnTheAdaptersMetricAndArchscalerAskedForTheNodesAheadOfIt(ControlPlane controlPlane) throws Exception {
        long started = System.nanoTime();
        Path rules = adapterRules();
        try (LoopbackPrometheus prometheus = LoopbackPrometheus.start();
             PrometheusAdapter adapter = PrometheusAdapter.start(controlPlane, PrometheusAdapterBinary.locate(), prometheus.url(), rules);
             KubernetesClient client = controlPlane.newClient()) {
            step("Prometheus and prometheus-adapter up, APIService " + PrometheusAdapter.API_SERVICE + " Available", started);
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
            Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
            try (PodRequestCounters counters = PodRequestCounters.follow(client, NAMESPACE, APP, prometheus::scrape);
                 SharedIndexInformer<Pod> arrivals = client.pods().inNamespace(NAMESPACE).withLabel("app", APP)
                         .inform(firstSeenInto(firstSeen), 0);
                 ObservedArchscaler archscaler = new ObservedArchscaler(controlPlane.newClient(),
                         CONFIG.formatted(GROUP, E2eWorkloads.GROUP_LABEL, TAINT, NAMESPACE, prometheus.url(), rules),
                         "archscaler-custom-metrics-e2e")) {
                client.apps().deployments().inNamespace(NAMESPACE).resource(
                        E2eWorkloads.deployment(APP, REPLICAS, "example/storefront:4.2", "900m", "custom-metrics", TAINT)).create();
                client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NAMESPACE).resource(hpa()).create();
                counters.totalPerSecond(REPLICAS * QUIET_PER_POD);

                await().atMost(Duration.ofSeconds(40)).until(() -> counters.serving().size() == REPLICAS);
                step(REPLICAS + " storefront pods Running on the node Archscaler asked for", started);

                // the adapter, through the API server, serves what Prometheus has
                Map<String, Double> served = await().atMost(Duration.ofSeconds(20)).until(() -> servedThroughApiServer(client),
                        m -> m.size() == REPLICAS);
                Map<String, Double> compared = servedMatchesPrometheus(client, prometheus);
                step("custom.metrics.k8s.io serves " + METRIC + " " + compared + " (first read " + served + ")", started);

                Set<String> quietPods = new TreeSet<>(firstSeen.keySet());
                // The HPA acts only when it syncs, Archscaler on every sample (every 250 ms); which acts first on the
                // load depends on where in the HPA's period the metric crosses the target. Should the HPA sync within
                // Archscaler's 250 ms of the crossing, it wins a tie by chance (about 1 time in 20 at a 5 s period).
                // So the load rises just after an HPA sync: the crossing then falls 1-2 s into a later period, and the
                // lead measured is the one of a crossing there.
                Instant synced = nextHpaMetricRead(controlPlane, Instant.now());
                Instant raised = Instant.now();
                counters.totalPerSecond(REPLICAS * BUSY_PER_POD);
                step("load raised to " + BUSY_PER_POD + " requests/s per pod (target " + TARGET_PER_POD + "), "
                        + since(synced, raised) + " s after an HPA sync", started);

                Instant hpaPodsAppeared = await().atMost(Duration.ofSeconds(40)).until(() -> firstSeen.entrySet().stream()
                        .filter(e -> !quietPods.contains(e.getKey())).map(Map.Entry::getValue).min(Instant::compareTo)
                        .orElse(null), t -> t != null);
                HorizontalPodAutoscaler acted = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NAMESPACE)
                        .withName(APP).get();
                step("the HPA scaled " + APP + " to " + acted.getStatus().getDesiredReplicas() + " (its metric: "
                        + acted.getStatus().getCurrentMetrics() + ")", started);
                Decision ahead = archscaler.decisions().stream()
                        .filter(d -> d.action() == Decision.SCALE_UP && d.isAheadOfHpa()).findFirst()
                        .orElseThrow(() -> new AssertionError("Archscaler made no scale-up ahead of the HPA; its decisions: "
                                + archscaler.decisions().stream().map(Decision::describe).toList()));
                double aheadOfHpaSeconds = Duration.between(ahead.time(), hpaPodsAppeared).toMillis() / 1000.0;
                // what the HPA controller did, as the API server recorded it: each sync reads the metric, then it scaled
                AuditLog.Request scaled = await().atMost(Duration.ofSeconds(10)).until(() -> AuditLog.by(controlPlane.auditLog(),
                        HPA_CONTROLLER).stream().filter(r -> "update".equals(r.verb()) && "deployments/scale".equals(r.resourcePath())
                        && APP.equals(r.name()) && r.code() == 200).findFirst().orElse(null), r -> r != null);
                List<AuditLog.Request> metricReads = hpaMetricReads(controlPlane);
                Instant syncRead = metricReads.stream().map(AuditLog.Request::received).filter(t -> !t.isAfter(scaled.received()))
                        .max(Instant::compareTo).orElseThrow();
                System.out.printf("CustomMetricsChainE2E: aheadOfHpaSeconds=%.3f; after the load rose: Archscaler's headroom"
                                + " scale-up at +%.3f s (%s); the HPA's sync read the metric at +%.3f s, scaled the Deployment"
                                + " at +%.3f s, its first new pod seen at +%.3f s; HPA sync period %s, Archscaler's Prometheus"
                                + " interval 250ms; %d metric reads by the HPA through the API server%n",
                        aheadOfHpaSeconds, since(raised, ahead.time()), ahead.describe(), since(raised, syncRead),
                        since(raised, scaled.received()), since(raised, hpaPodsAppeared), controlPlane.settings().hpaSyncPeriod(),
                        metricReads.size());

                assertThat(acted.getStatus().getDesiredReplicas()).as("the HPA's desired replicas").isGreaterThan(REPLICAS);
                assertThat(metricReads).as("the HPA controller's reads of custom.metrics.k8s.io").isNotEmpty();
                assertThat(ahead.outcome()).as(ahead.describe()).isNotEqualTo(Decision.FAILED);
                assertThat(ahead.time()).as("Archscaler's scale-up ahead of the HPA, before the HPA's first new pod")
                        .isBefore(hpaPodsAppeared);
                // the HPA's pods run, on the node asked for ahead of them (and any the HPA's later steps needed)
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(E2eWorkloads.pods(client, NAMESPACE, APP))
                        .hasSizeGreaterThan(REPLICAS).allSatisfy(p -> assertThat(E2eWorkloads.available(p))
                                .as(p.getMetadata().getName()).isTrue()));
                step("every storefront pod Running", started);
            } finally {
                client.namespaces().withName(NAMESPACE).delete();
                E2eWorkloads.nodesOf(client, GROUP).forEach(n -> E2eNodes.delete(client, n.getMetadata().getName()));
            }
        }
    }

    /** The HPA of deploy/prometheus-adapter/sample-hpa.yaml, on the storefront: the per-pod request rate, 50 per pod. */
    private static HorizontalPodAutoscaler hpa() {
        return new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(APP).endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(APP).endScaleTargetRef()
                .withMinReplicas(REPLICAS).withMaxReplicas(6)
                .addNewMetric().withType("Pods").withNewPods().withNewMetric().withName(METRIC).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(String.valueOf(TARGET_PER_POD))).endTarget()
                .endPods().endMetric()
                .endSpec().build();
    }

    /**
     * Per pod, the metric as the API server's aggregation layer returns it from the adapter; none
     * while the adapter has not listed the series yet (it answers 404, which fabric8 gives as null).
     */
    private static Map<String, Double> servedThroughApiServer(KubernetesClient client) {
        String answer = client.raw("/apis/custom.metrics.k8s.io/v1beta1/namespaces/" + NAMESPACE + "/pods/*/" + METRIC);
        Map<String, Double> out = new TreeMap<>();
        if (answer == null) {
            return out;
        }
        new JsonObject(answer).getJsonArray("items").forEach(o -> {
            JsonObject item = (JsonObject) o;
            out.put(item.getJsonObject("describedObject").getString("name"),
                    Quantity.getAmountInBytes(new Quantity(item.getString("value"))).doubleValue());
        });
        return out;
    }

    /**
     * Reads the adapter's values between two evaluations of the rule's query by Prometheus itself and
     * checks each lies between them (the value climbs while counters grow), to the adapter's
     * milli-unit truncation and 1% for the instant each was evaluated at.
     */
    private static Map<String, Double> servedMatchesPrometheus(KubernetesClient client, LoopbackPrometheus prometheus) {
        String query = "sum(rate(" + PodRequestCounters.METRIC + "{namespace=\"" + NAMESPACE + "\"}[2m])) by (pod)";
        Map<String, Double> before = prometheus.valuesBy("pod", query);
        Map<String, Double> served = servedThroughApiServer(client);
        Map<String, Double> after = prometheus.valuesBy("pod", query);
        assertThat(served.keySet()).as("pods served by the adapter").isEqualTo(before.keySet()).isEqualTo(after.keySet());
        served.forEach((pod, value) -> {
            double low = Math.min(before.get(pod), after.get(pod));
            double high = Math.max(before.get(pod), after.get(pod));
            assertThat(value).as(pod + ": adapter " + value + ", Prometheus " + before.get(pod) + " then " + after.get(pod))
                    .isPositive().isBetween(low * 0.99 - 0.001, high * 1.01 + 0.001);
        });
        return served;
    }

    private static ResourceEventHandler<Pod> firstSeenInto(Map<String, Instant> firstSeen) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                firstSeen.putIfAbsent(pod.getMetadata().getName(), Instant.now());
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                firstSeen.putIfAbsent(pod.getMetadata().getName(), Instant.now());
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                // a pod's arrival is what counts
            }
        };
    }

    /** deploy/prometheus-adapter/adapter-config.yaml, found upwards from the working directory (the module's, under Maven). */
    private static Path adapterRules() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path rules = dir.resolve("deploy/prometheus-adapter/adapter-config.yaml");
            if (Files.isRegularFile(rules)) {
                return rules;
            }
        }
        throw new IllegalStateException("no deploy/prometheus-adapter/adapter-config.yaml above " + Path.of("").toAbsolutePath());
    }

    /** When the HPA controller next reads the metric through the API server (a sync), after {@code after}. */
    private static Instant nextHpaMetricRead(ControlPlane controlPlane, Instant after) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> hpaMetricReads(controlPlane)
                .stream().map(AuditLog.Request::received).filter(t -> t.isAfter(after)).findFirst().orElse(null), t -> t != null);
    }

    private static List<AuditLog.Request> hpaMetricReads(ControlPlane controlPlane) {
        return AuditLog.by(controlPlane.auditLog(), HPA_CONTROLLER).stream()
                .filter(r -> "custom.metrics.k8s.io".equals(r.apiGroup()) && r.code() == 200).toList();
    }

    private static double since(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static void step(String what, long startedNanos) {
        System.out.printf("CustomMetricsChainE2E: %-90s at %5.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
