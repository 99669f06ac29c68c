package io.archscaler.kafka;

import io.archscaler.events.Decision;
import io.archscaler.testing.KafkaBrokerExtension;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.archscaler.kafka.KafkaTestClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionPublisherIT {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    static KafkaTestClients clients;
    Vertx vertx;
    KafkaSettings settings;
    DecisionPublisher publisher;

    @BeforeAll
    static void startClients() {
        clients = new KafkaTestClients(KAFKA.bootstrapServers());
    }

    @AfterAll
    static void stopClients() {
        clients.close();
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        settings = KafkaSettings.defaults(KAFKA.bootstrapServers());
        KAFKA.broker().createTopics(settings.decisionsTopic());
        publisher = DecisionPublisher.create(vertx, settings, "prod");
    }

    @AfterEach
    void tearDown() throws Exception {
        join(publisher.close());
        join(vertx.close());
    }

    @Test
    void writesOneRecordPerScaleActionKeyedByClusterAndNodeGroup() throws Exception {
        join(publisher.publish(Decision.of(Decision.SCALE_UP, NOW, "x86-general", "amd64").withSizes(2, 5)
            .withPods(List.of("default/web-1", "default/web-2"))
            .withWhy(Decision.Why.of("no arm64 capacity in us-west-2a"))));
        join(publisher.publish(Decision.of(Decision.SCALE_DOWN, NOW, "arm-general", null).withNode("ip-10-0-1-7")
            .withWhy(Decision.Why.of("utilization 0.2 below 0.5 for 10m")).failed("ThrottlingException: Rate exceeded")));

        List<ConsumerRecord<byte[], byte[]>> records = clients.read(settings.decisionsTopic(), 2);

        assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
            .containsExactly("prod/x86-general", "prod/arm-general");
        assertThat(json(records.get(0))).isEqualTo(new JsonObject()
            .put("cluster", "prod").put("time", "2026-11-22T10:00:00Z").put("action", "scale-up")
            .put("nodeGroup", "x86-general").put("arch", "amd64").put("from", 2).put("to", 5)
            .put("pods", new JsonArray().add("default/web-1").add("default/web-2")).put("node", null)
            .put("reason", "no arm64 capacity in us-west-2a").put("outcome", "requested").put("error", null));
        assertThat(json(records.get(1))).isEqualTo(new JsonObject()
            .put("cluster", "prod").put("time", "2026-11-22T10:00:00Z").put("action", "scale-down")
            .put("nodeGroup", "arm-general").put("arch", null).put("from", null).put("to", null).put("pods", null)
            .put("node", "ip-10-0-1-7").put("reason", "utilization 0.2 below 0.5 for 10m")
            .put("outcome", "failed").put("error", "ThrottlingException: Rate exceeded"));
    }

    @Test
    void aDecisionThatCannotBeWrittenFailsItsFutureInsteadOfThrowing() throws Exception {
        join(publisher.close());

        Future<Void> result = publisher.publish(Decision.of(Decision.SCALE_DOWN, NOW, "arm-general", null)
            .withNode("ip-10-0-1-7").withWhy(Decision.Why.of("idle")).succeeded());

        assertThatThrownBy(() -> join(result)).hasRootCauseInstanceOf(IllegalStateException.class);
    }

    private static JsonObject json(ConsumerRecord<byte[], byte[]> record) {
        return new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
    }
}
