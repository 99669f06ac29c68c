package io.archscaler.hpa;

import io.archscaler.config.PrometheusConfig;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every {@code prometheus.interval}, evaluates the query that serves each HPA metric and sends
 * the value as a {@link MetricSample} on {@link EventAddresses#METRICS}. Queries come from the
 * config ({@code prometheus.queries}) and, for HPA metrics they do not cover, from a
 * prometheus-adapter rules file ({@code prometheus.adapterRules}) applied to the HPAs known now.
 *
 * <p>A query giving several series gives the value the HPA would see: their average for Pods and
 * Resource metrics (the HPA averages per-pod values), their sum for Object and External metrics.
 * An empty result, NaN or a negative value sends nothing. A round still running when the next is
 * due is not doubled.
 */
public final class PrometheusMetricSource extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricSource.class);
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    private static final int DISCOVERY_EVERY_ROUNDS = 20;
    private static final Duration DISCOVERY_LOOKBACK = Duration.ofHours(1);

    private final PrometheusConfig config;
    private final AdapterRules rules;
    private final String cluster;
    private final Supplier<List<HorizontalPodAutoscaler>> hpas;
    private final Clock clock;
    private final Map<String, List<String>> discovered = new HashMap<>();
    private final Map<String, String> failing = new HashMap<>();
    private PrometheusClient client;
    private long timer = -1;
    private boolean running;
    private int rounds;

    /** One query to evaluate: the HPA metric it serves and how to fold several series. */
    record Target(String namespace, String hpa, String metric, String query, boolean average) {
        String key() {
            return namespace + "/" + hpa + " " + metric;
        }
    }

    /**
     * @param hpas the HPAs known now (for adapter rules, and to tell per-pod metrics), e.g.
     *             {@link WorkloadSource#hpas()}
     * @throws HpaTranslationException when the adapter rules file cannot be read
     */
    public PrometheusMetricSource(PrometheusConfig config, String cluster, Supplier<List<HorizontalPodAutoscaler>> hpas,
                                  Clock clock) {
        this.config = config;
        this.rules = config.adapterRules().map(AdapterRules::load).orElse(null);
        this.cluster = cluster;
        this.hpas = hpas;
        this.clock = clock;
    }

    @Override
    public void start(Promise<Void> started) {
        // a query may take up to one interval, within bounds; rounds never overlap anyway
        Duration timeout = config.interval().compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT
                : config.interval().compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : config.interval();
        client = new PrometheusClient(vertx, config.url(), timeout);
        timer = vertx.setPeriodic(1, config.interval().toMillis(), id -> round());
        LOG.info("Prometheus source: {} every {} ({} configured queries{})", config.url(), config.interval(),
                config.queries().size(), rules == null ? "" : ", " + rules.size() + " adapter rules");
        started.complete();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        (client == null ? Future.<Void>succeededFuture() : client.close()).onComplete(ar -> stopped.complete());
    }

    private void round() {
        if (running) {
            return;
        }
        running = true;
        rounds++;
        discover().compose(v -> {
            List<Future<Void>> evaluations = new ArrayList<>();
            for (Target t : targets()) {
                evaluations.add(evaluate(t));
            }
            return Future.join(evaluations).mapEmpty();
        }).onComplete(ar -> running = false);
    }

    /** Series names for adapter rules that select many, refreshed every few rounds. */
    private Future<Void> discover() {
        if (rules == null || rules.seriesToDiscover().isEmpty() || (rounds - 1) % DISCOVERY_EVERY_ROUNDS != 0
                && discovered.keySet().containsAll(rules.seriesToDiscover())) {
            return Future.succeededFuture();
        }
        Instant since = clock.instant().minus(DISCOVERY_LOOKBACK);
        List<Future<Void>> calls = new ArrayList<>();
        for (String seriesQuery : rules.seriesToDiscover()) {
            calls.add(client.seriesNames(seriesQuery, since)
                    .onSuccess(names -> discovered.put(seriesQuery, names))
                    .onFailure(e -> report("series " + seriesQuery, e.getMessage()))
                    .mapEmpty());
        }
        return Future.join(calls).otherwiseEmpty().mapEmpty();
    }

    /** The queries of this round: configured ones first, then adapter rules for the metrics they leave out. */
    List<Target> targets() {
        Map<String, HorizontalPodAutoscaler> known = new LinkedHashMap<>();
        for (HorizontalPodAutoscaler h : hpas.get()) {
            if (h.getMetadata() != null && h.getMetadata().getName() != null) {
                known.put(HpaTranslation.key(h), h);
            }
        }
        List<Target> out = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (PrometheusConfig.Query q : config.queries()) {
            boolean average = averaged(known.get(q.hpaKey()), q.metric());
            Target t = new Target(q.namespace(), q.hpa(), q.metric(), q.query(), average);
            out.add(t);
            covered.add(t.key());
        }
        if (rules == null) {
            return out;
        }
        for (HorizontalPodAutoscaler h : known.values()) {
            if (h.getSpec() == null || h.getSpec().getMetrics() == null) {
                continue;
            }
            for (MetricSpec m : h.getSpec().getMetrics()) {
                String name = metricName(m);
                if (name == null) {
                    continue;
                }
                Target probe = new Target(h.getMetadata().getNamespace(), h.getMetadata().getName(), name, null, false);
                if (covered.contains(probe.key())) {
                    continue;
                }
                try {
                    rules.query(h, m, s -> discovered.getOrDefault(s, List.of())).ifPresent(query -> {
                        out.add(new Target(probe.namespace(), probe.hpa(), name, query, "Pods".equals(m.getType())));
                        covered.add(probe.key());
                    });
                } catch (HpaTranslationException e) {
                    report(probe.key(), e.getMessage());
                }
            }
        }
        return out;
    }

    private Future<Void> evaluate(Target t) {
        return client.query(t.query()).compose(samples -> {
            List<PrometheusClient.Sample> usable = samples.stream()
                    .filter(s -> Double.isFinite(s.value()) && s.value() >= 0).toList();
            if (usable.isEmpty()) {
                report(t.key(), samples.isEmpty() ? "the query gives no series" : "the query gives no usable value");
                return Future.<Void>succeededFuture();
            }
            double sum = usable.stream().mapToDouble(PrometheusClient.Sample::value).sum();
            double value = t.average() ? sum / usable.size() : sum;
            Instant at = usable.stream().map(PrometheusClient.Sample::timestamp).max(Instant::compareTo).orElseThrow();
            recovered(t.key());
            MetricSample sample = new MetricSample(cluster, t.namespace(), t.hpa(), t.metric(), value, at);
            return vertx.eventBus().request(EventAddresses.METRICS, sample, new DeliveryOptions().setSendTimeout(30_000))
                    .onFailure(e -> LOG.debug("metric sample for {} not applied: {}", t.key(), e.getMessage()))
                    .<Void>mapEmpty()
                    .otherwiseEmpty();
        }, e -> {
            report(t.key(), e.getMessage());
            return Future.succeededFuture();
        });
    }

    private static boolean averaged(HorizontalPodAutoscaler hpa, String metric) {
        if (hpa == null || hpa.getSpec() == null || hpa.getSpec().getMetrics() == null) {
            return true;
        }
        for (MetricSpec m : hpa.getSpec().getMetrics()) {
            if (metric.equals(metricName(m))) {
                return !"Object".equals(m.getType()) && !"External".equals(m.getType());
            }
        }
        return true;
    }

    private static String metricName(MetricSpec m) {
        if (m.getType() == null) {
            return null;
        }
        return switch (m.getType()) {
            case "Pods" -> m.getPods() == null || m.getPods().getMetric() == null ? null : m.getPods().getMetric().getName();
            case "Object" -> m.getObject() == null || m.getObject().getMetric() == null ? null
                    : m.getObject().getMetric().getName();
            case "External" -> m.getExternal() == null || m.getExternal().getMetric() == null ? null
                    : m.getExternal().getMetric().getName();
            default -> null;
        };
    }

    /** Warns once per distinct problem of a query, so a broken query does not flood the log. */
    private void report(String key, String problem) {
        if (!problem.equals(failing.put(key, problem))) {
            LOG.warn("Prometheus source: {}: {}", key, problem);
        }
    }

    private void recovered(String key) {
        if (failing.remove(key) != null) {
            LOG.info("Prometheus source: {}: values again", key);
        }
    }
}
