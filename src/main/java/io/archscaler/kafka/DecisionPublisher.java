package io.archscaler.kafka;

import io.archscaler.scaler.model.ScaleDown;
import io.archscaler.scaler.model.ScaleUp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one record per scale action to the decisions topic: key {@code cluster/nodeGroup}, value
 * JSON with the plan entry and its outcome. Every field is present in every record, null where it
 * does not apply to the action (a scale-up has no node, a scale-down no sizes). Publishing never
 * throws: a failure comes back as a failed future, so a broken topic cannot stop the scaler.
 */
public final class DecisionPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionPublisher.class);
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String cluster;
    private final Clock clock;

    /** Takes over {@code producer}: {@link #close()} closes it. */
    public DecisionPublisher(KafkaProducer<String, String> producer, String topic, String cluster, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        // a failed send is also reported here (logged as unhandled without a handler); the caller gets it on the future
        producer.exceptionHandler(e -> LOG.debug("decision producer: {}", e.toString()));
        this.topic = Objects.requireNonNull(topic, "topic");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A publisher with its own producer for {@code settings.decisionsTopic()}. */
    public static DecisionPublisher create(Vertx vertx, KafkaSettings settings, String cluster, Clock clock) {
        Map<String, String> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
            ProducerConfig.CLIENT_ID_CONFIG, "archscaler-decisions-" + cluster,
            ProducerConfig.ACKS_CONFIG, "all",
            // a decision that cannot be written within this is reported as failed rather than held up
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        KafkaProducer<String, String> producer = KafkaProducer.create(vertx, config, new StringSerializer(), new StringSerializer());
        return new DecisionPublisher(producer, settings.decisionsTopic(), cluster, clock);
    }

    /** @param error what went wrong, for {@link DecisionOutcome#FAILED}; null otherwise */
    public Future<Void> scaleUp(ScaleUp scaleUp, DecisionOutcome outcome, String error) {
        try {
            return send(scaleUp.nodeGroup(), scaleUpJson(scaleUp, outcome, error));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** @param error what went wrong, for {@link DecisionOutcome#FAILED}; null otherwise */
    public Future<Void> scaleDown(ScaleDown scaleDown, DecisionOutcome outcome, String error) {
        try {
            return send(scaleDown.nodeGroup(), scaleDownJson(scaleDown, outcome, error));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    public Future<Void> close() {
        return producer.close();
    }

    JsonObject scaleUpJson(ScaleUp up, DecisionOutcome outcome, String error) {
        return decision("scale-up", up.nodeGroup(), outcome, error)
            .put("arch", up.arch() == null ? null : up.arch().label())
            .put("from", up.from())
            .put("to", up.to())
            .put("pods", new JsonArray(up.pods().stream().map(Object.class::cast).toList()))
            .put("reason", up.fallbackReason());
    }

    JsonObject scaleDownJson(ScaleDown down, DecisionOutcome outcome, String error) {
        return decision("scale-down", down.nodeGroup(), outcome, error)
            .put("node", down.node())
            .put("reason", down.reason());
    }

    private JsonObject decision(String action, String nodeGroup, DecisionOutcome outcome, String error) {
        Objects.requireNonNull(outcome, "outcome");
        // every field in a fixed order, so a reader never has to ask whether a key may be missing
        return new JsonObject()
            .put("cluster", cluster)
            .put("time", clock.instant().toString())
            .put("action", action)
            .put("nodeGroup", nodeGroup)
            .put("arch", null)
            .put("from", null)
            .put("to", null)
            .put("pods", null)
            .put("node", null)
            .put("reason", null)
            .put("outcome", outcome.json())
            .put("error", error);
    }

    private Future<Void> send(String nodeGroup, JsonObject value) {
        return producer.send(KafkaProducerRecord.create(topic, cluster + "/" + nodeGroup, value.encode())).mapEmpty();
    }
}
