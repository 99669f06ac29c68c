package io.archscaler.kafka;

import io.archscaler.events.Decision;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * Writes one record per scale action to the decisions topic: key {@code cluster/nodeGroup}, value
 * {@link Decision#toJson}. Publishing never throws: a failure comes back as a failed future, so a
 * broken topic cannot stop the scaler.
 */
public final class DecisionPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionPublisher.class);
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String cluster;

    /** Takes over {@code producer}: {@link #close()} closes it. */
    public DecisionPublisher(KafkaProducer<String, String> producer, String topic, String cluster) {
        this.producer = Objects.requireNonNull(producer, "producer");
        // a failed send is also reported here (logged as unhandled without a handler); the caller gets it on the future
        producer.exceptionHandler(e -> LOG.debug("decision producer: {}", e.toString()));
        this.topic = Objects.requireNonNull(topic, "topic");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** A publisher with its own producer for {@code settings.decisionsTopic()}. */
    public static DecisionPublisher create(Vertx vertx, KafkaSettings settings, String cluster) {
        Map<String, String> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
            ProducerConfig.CLIENT_ID_CONFIG, "archscaler-decisions-" + cluster,
            ProducerConfig.ACKS_CONFIG, "all",
            // a decision that cannot be written within this is reported as failed rather than held up
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        KafkaProducer<String, String> producer = KafkaProducer.create(vertx, config, new StringSerializer(), new StringSerializer());
        return new DecisionPublisher(producer, settings.decisionsTopic(), cluster);
    }

    public Future<Void> publish(Decision decision) {
        try {
            String key = cluster + "/" + decision.nodeGroup();
            return producer.send(KafkaProducerRecord.create(topic, key, decision.toJson(cluster).encode())).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    public Future<Void> close() {
        return producer.close();
    }
}
