package io.archscaler.kafka;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.archscaler.events.PodPending;
import io.archscaler.testing.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.archscaler.kafka.KafkaEventSourceIT.FAST;
import static io.archscaler.kafka.KafkaEventSourceIT.T0;
import static io.archscaler.kafka.KafkaEventSourceIT.pod;
import static io.archscaler.kafka.KafkaTestClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker goes away and comes back on the same ports while the event source runs. */
class BrokerRestartIT {
    EmbeddedKafkaBroker broker;
    KafkaTestClients clients;
    Vertx vertx;

    @BeforeEach
    void setUp() {
        broker = EmbeddedKafkaBroker.start();
        clients = new KafkaTestClients(broker.bootstrapServers());
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
    }

    @AfterEach
    void tearDown() throws Exception {
        join(vertx.close());
        clients.close();
        broker.close();
    }

    @Test
    void theEventSourceResumesByItselfWhenTheBrokerComesBack() throws Exception {
        KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), "group-restart", "pods-restart",
            "metrics-restart", "decisions-restart", "dead-restart", KafkaSettings.DEFAULT_MAX_EVENT_BYTES);
        broker.createTopics(settings.podEventsTopic(), settings.metricEventsTopic(), settings.deadLetterTopic());
        List<String> received = new CopyOnWriteArrayList<>();
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            message.body().events().forEach(e -> received.add(e.pod().getMetadata().getName()));
            message.reply("applied");
        });
        join(vertx.deployVerticle(new KafkaEventSource(settings, EventSourceObserver.NOOP, FAST)));
        PodEventEncoder encoder = new PodEventEncoder();
        PodEvent before = new PodPending("prod", pod("before"), T0);
        clients.sendAndWait(settings.podEventsTopic(), PodEventEncoder.key(before), encoder.encode(before));
        await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("before"));
        String bootstrapServers = broker.bootstrapServers();

        broker.stop();
        broker.restart();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
        PodEvent after = new PodPending("prod", pod("after"), T0);
        RecordMetadata sent = clients.sendAndWait(settings.podEventsTopic(), PodEventEncoder.key(after), encoder.encode(after));
        assertThat(sent.offset()).as("the restarted broker kept the topic's log").isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.contains("after"));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> clients.committed(settings.groupId(), settings.podEventsTopic()) == sent.offset() + 1);
        assertThat(received).containsSubsequence("before", "after").doesNotHaveDuplicates();
    }
}
