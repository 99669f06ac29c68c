package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.archscaler.events.PodPending;
import io.archscaler.kafka.DeadLetterHeaders;
import io.archscaler.kafka.PodEventEncoder;
import io.archscaler.testing.KafkaBrokerExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pod events read from a real Kafka broker (KRaft, in-process) drive the controller like informer events. */
class KafkaControllerIT {
    private static final Map<String, String> AMD64 = Map.of("kubernetes.io/arch", "amd64");
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void podEventsOnKafkaDriveTheSameDecisionsAsInformerEvents() throws Exception {
        List<Pod> pods = new ArrayList<>(ControllerHarness.pods("web", 5, "500m", Map.of()));
        pods.addAll(ControllerHarness.pods("legacy", 2, "500m", AMD64));

        Set<String> viaInformers;
        try (ControllerHarness h = new ControllerHarness(false, "30s")) {
            Controller c = h.startController("informers");
            for (Pod p : pods) {
                h.client.pods().inNamespace("default").resource(p).create();
            }
            h.closeBatch(c, pods.size());
            await().atMost(Duration.ofSeconds(20)).until(() -> h.decisions.size() >= 2);
            viaInformers = summary(h.decisions);
        }

        Set<String> viaKafka;
        try (ControllerHarness h = new ControllerHarness(false, "30s", KAFKA.configBlock("same"));
             KafkaProducer<String, byte[]> producer = producer()) {
            KAFKA.createTopics("same");
            Controller c = h.startController("kafka");
            PodEventEncoder encoder = new PodEventEncoder();
            for (Pod p : pods) {
                PodPending event = new PodPending("test", p, Instant.now());
                producer.send(new ProducerRecord<>("pods-same", PodEventEncoder.key(event), encoder.encode(event)))
                        .get(10, TimeUnit.SECONDS);
            }
            h.closeBatch(c, pods.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> h.decisions.size() >= 2);
            viaKafka = summary(h.decisions);
            // the decisions are written back to the decisions topic too
            List<ConsumerRecord<String, String>> written = read("decisions-same", 2);
            assertThat(written).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("test/arm", "test/x86");
            assertThat(new JsonObject(written.get(0).value()).getString("outcome")).isEqualTo("requested");
        }
        assertThat(viaKafka).isEqualTo(viaInformers)
                .containsExactlyInAnyOrder("arm 0->2 [default/web-0, default/web-1, default/web-2, default/web-3, default/web-4]",
                        "x86 0->1 [default/legacy-0, default/legacy-1]");
    }

    @Test
    void aMalformedRecordIsDeadLetteredAndTheNextGoodRecordIsStillHandled() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false, "30s", KAFKA.configBlock("bad"));
             KafkaProducer<String, byte[]> producer = producer()) {
            KAFKA.createTopics("bad");
            Controller c = h.startController("kafka");
            producer.send(new ProducerRecord<>("pods-bad", "test/default/broken",
                    "{\"cluster\": \"test\", \"type\": \"PENDING\", \"pod\": ".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
            PodPending good = new PodPending("test", ControllerHarness.pods("web", 1, "500m", Map.of()).get(0),
                    Instant.now());
            producer.send(new ProducerRecord<>("pods-bad", PodEventEncoder.key(good), new PodEventEncoder().encode(good)))
                    .get(10, TimeUnit.SECONDS);
            h.closeBatch(c, 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> h.decisions.size() >= 1);
            assertThat(summary(h.decisions)).containsExactly("arm 0->1 [default/web-0]");
            ConsumerRecord<String, String> dead = read("dlq-bad", 1).get(0);
            assertThat(dead.key()).isEqualTo("test/default/broken");
            assertThat(header(dead, DeadLetterHeaders.REASON)).isNotBlank();
            assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("pods-bad");
        }
    }

    private static Set<String> summary(List<Decision> decisions) {
        Set<String> out = new TreeSet<>();
        for (Decision d : decisions) {
            out.add(d.nodeGroup() + " " + d.from() + "->" + d.to() + " " + new TreeSet<>(d.pods()));
        }
        return out;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            return records;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
