package io.archscaler.sandbox;

import io.archscaler.controlplane.AuditLog;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.LoopbackPrometheus;
import io.archscaler.controlplane.PodRequestCounters;
import io.archscaler.controlplane.PrometheusAdapter;
import io.archscaler.controlplane.PrometheusAdapterBinary;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The custom-metrics chain the HPA step runs on, on the control plane: the workload's pods'
 * request counters, scraped by Debian's Prometheus, served on {@code custom.metrics.k8s.io} by
 * prometheus-adapter with deploy/'s rules (the file Archscaler reads too), for the real HPA
 * controller.
 */
final class DemoHpaChain implements AutoCloseable {
    /** deploy/prometheus-adapter/adapter-config.yaml, which the sandbox's jar carries. */
    private static final String RULES_RESOURCE = "/io/archscaler/sandbox/deploy/prometheus-adapter/adapter-config.yaml";

    private static final String STAND_IN = "HPA step: the stand-in (a metric event, then the demo scales storefront as the HPA"
            + " would), since ";

    /** The identity kube-controller-manager's HPA controller acts as (--use-service-account-credentials). */
    private static final String HPA_CONTROLLER = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";

    private final ControlPlane controlPlane;
    private final LoopbackPrometheus prometheus;
    private final PrometheusAdapter adapter;
    private final Path rules;
    private PodRequestCounters counters;

    private DemoHpaChain(ControlPlane controlPlane, LoopbackPrometheus prometheus, PrometheusAdapter adapter, Path rules) {
        this.controlPlane = controlPlane;
        this.prometheus = prometheus;
        this.adapter = adapter;
        this.rules = rules;
    }

    /**
     * Starts Prometheus and the adapter behind the control plane, or says why it cannot (no adapter
     * binary, no prometheus) and returns none: the HPA step then keeps its stand-in.
     */
    static Optional<DemoHpaChain> start(ControlPlane controlPlane, Path dir, Consumer<String> say) {
        PrometheusAdapterBinary binary;
        try {
            binary = PrometheusAdapterBinary.locate();
        } catch (IllegalStateException e) {
            say.accept(STAND_IN + e.getMessage());
            return Optional.empty();
        }
        Path rules = dir.resolve("adapter-config.yaml");
        try (InputStream in = DemoHpaChain.class.getResourceAsStream(RULES_RESOURCE)) {
            Files.write(rules, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("the adapter rules are missing from the jar", e);
        }
        LoopbackPrometheus prometheus;
        try {
            prometheus = LoopbackPrometheus.start();
        } catch (IllegalStateException e) {
            say.accept(STAND_IN + e.getMessage());
            return Optional.empty();
        }
        try {
            PrometheusAdapter adapter = PrometheusAdapter.start(controlPlane, binary, prometheus.url(), rules);
            say.accept("HPA step: the real chain: pods' http_requests_total -> Prometheus " + prometheus.url()
                    + " -> prometheus-adapter (" + binary.file() + ") on " + PrometheusAdapter.API_SERVICE
                    + " -> the HPA controller (sync every " + controlPlane.settings().hpaSyncPeriod().toSeconds()
                    + " s); Archscaler reads the same rules");
            return Optional.of(new DemoHpaChain(controlPlane, prometheus, adapter, rules));
        } catch (RuntimeException e) {
            prometheus.close();
            throw e;
        }
    }

    /** Archscaler's config section: the same Prometheus and the adapter's rules, read every 250 ms. */
    String config() {
        return "prometheus: {url: \"" + prometheus.url() + "\", interval: 250ms, adapterRules: \"" + rules + "\"}\n";
    }

    /** The workload's pods count requests from now on, {@code totalPerSecond} spread over those serving. */
    void follow(KubernetesClient client, String workload, double totalPerSecond) {
        counters = PodRequestCounters.follow(client, DemoWorkload.NAMESPACE, workload, prometheus::scrape);
        counters.totalPerSecond(totalPerSecond);
    }

    /**
     * Returns once the HPA controller has read the metric through the API server again (a sync, as
     * the audit log shows it), or after {@code timeout}: a load that rises then crosses the target
     * within the HPA's period, not by chance just before a sync, which would make the race with
     * Archscaler a coin toss.
     */
    void awaitHpaSync(Duration timeout) throws InterruptedException {
        Instant after = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean synced = AuditLog.by(controlPlane.auditLog(), HPA_CONTROLLER).stream()
                    .anyMatch(r -> "custom.metrics.k8s.io".equals(r.apiGroup()) && r.received().isAfter(after));
            if (synced) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** The requests the workload gets from now on, per second in all. */
    void load(double totalPerSecond) {
        counters.totalPerSecond(totalPerSecond);
    }

    @Override
    public void close() {
        if (counters != null) {
            counters.close();
        }
        adapter.close();
        prometheus.close();
    }
}
