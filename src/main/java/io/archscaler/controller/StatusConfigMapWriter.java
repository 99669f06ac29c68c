package io.archscaler.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * While this replica leads, writes the {@code /status} summary every interval to the ConfigMap
 * {@code archscaler-status} in the controller's namespace (as the Cluster Autoscaler writes
 * {@code cluster-autoscaler-status}), so {@code kubectl get cm archscaler-status -o yaml} says what
 * Archscaler is doing without reaching its HTTP port.
 */
public final class StatusConfigMapWriter extends AbstractVerticle {
    public static final String NAME = "archscaler-status";
    public static final String STATUS_KEY = "status";
    public static final String LAST_UPDATED_KEY = "lastUpdated";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(StatusConfigMapWriter.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Duration interval;
    private final Clock clock;
    // set from the leader elector's threads, read on the event loop
    private volatile boolean leader;
    private boolean writing;
    private long timer = -1;
    // the resourceVersion of our last write, so the next is one update over it; one write at a time (writing), but
    // each may run on another worker thread
    private volatile String lastVersion;

    /** @param namespace the controller's namespace, where its Lease lives too */
    public StatusConfigMapWriter(KubernetesClient client, String namespace, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("status ConfigMap interval must be positive (got " + interval + ")");
        }
        this.client = client;
        this.namespace = namespace;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> writeNow());
    }

    @Override
    public void stop() {
        vertx.cancelTimer(timer);
    }

    /** Only the leader writes; a new leader writes at once rather than an interval later. */
    public void setLeader(boolean isLeader) {
        leader = isLeader;
        if (isLeader && context != null) {
            context.runOnContext(v -> writeNow());
        }
    }

    /**
     * Writes the current status now if this replica leads and no write is under way.
     *
     * @return whether the ConfigMap was written; failed when the status or the API call failed
     */
    public Future<Boolean> writeNow() {
        if (!leader || writing) {
            return Future.succeededFuture(false);
        }
        writing = true;
        return vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                .map(m -> m.body())
                .compose(status -> vertx.executeBlocking(() -> write(status), false))
                .map(written -> true)
                .onFailure(e -> LOG.warn("writing ConfigMap {}/{} failed (retrying in {} ms): {}", namespace, NAME,
                        interval.toMillis(), e.getMessage()))
                .onComplete(ar -> writing = false);
    }

    private ConfigMap write(JsonObject status) {
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/name", "archscaler", "app.kubernetes.io/component", "status"))
                .endMetadata()
                .withData(Map.of(STATUS_KEY, status.encodePrettily(), LAST_UPDATED_KEY, clock.instant().toString()))
                .build();
        ConfigMap written = lastVersion == null ? createOrReplace(cm) : replaceOurs(cm);
        lastVersion = written.getMetadata().getResourceVersion();
        return written;
    }

    /** One update over our last write; if another writer came between (409), create-or-replace as at first. */
    private ConfigMap replaceOurs(ConfigMap cm) {
        cm.getMetadata().setResourceVersion(lastVersion);
        try {
            return client.configMaps().inNamespace(namespace).resource(cm).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            cm.getMetadata().setResourceVersion(null);
            return createOrReplace(cm);
        }
    }

    /**
     * Create, or replace what a previous leader wrote: a create that finds it (409), a get and an update. Done once
     * a term, not every interval, as that is three requests where one does.
     */
    private ConfigMap createOrReplace(ConfigMap cm) {
        return client.configMaps().inNamespace(namespace).resource(cm).createOr(NonDeletingOperation::update);
    }
}
