package io.archscaler.kafka;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.MetricSample;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.archscaler.testing.KafkaBrokerExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.archscaler.kafka.KafkaTestClients.header;
import static io.archscaler.kafka.KafkaTestClients.join;
import static io.archscaler.kafka.KafkaTestClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaEventSourceIT {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final KafkaEventSource.Timing FAST =
        new KafkaEventSource.Timing(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(100));
    static final int MAX_EVENT_BYTES = 16 * 1024;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    static KafkaTestClients clients;

    final RecordingObserver observer = new RecordingObserver();
    final PodEventEncoder encoder = new PodEventEncoder();
    Vertx vertx;
    KafkaSettings settings;

    @BeforeAll
    static void startClients() {
        clients = new KafkaTestClients(KAFKA.bootstrapServers());
    }

    @AfterAll
    static void stopClients() {
        clients.close();
    }

    @BeforeEach
    void setUp(TestInfo test) {
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
        String id = test.getTestMethod().orElseThrow().getName();
        settings = new KafkaSettings(KAFKA.bootstrapServers(), "group-" + id, "pods-" + id, "metrics-" + id,
            "decisions-" + id, "dead-" + id, MAX_EVENT_BYTES);
        KAFKA.broker().createTopic(settings.podEventsTopic(), 3);
        KAFKA.broker().createTopics(settings.metricEventsTopic(), settings.deadLetterTopic());
    }

    @AfterEach
    void tearDown() throws Exception {
        join(vertx.close());
    }

    @Test
    void podEventsArriveOnTheBusAsTheirTypesInOrderPerPod() throws Exception {
        List<PodEvent> received = new CopyOnWriteArrayList<>();
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            received.addAll(message.body().events());
            message.reply("applied");
        });
        deploy(new KafkaEventSource(settings, observer, FAST));

        List<Function<Pod, PodEvent>> lifecycle = List.of(
            pod -> new PodPending("prod", pod, T0),
            pod -> new PodScheduled("prod", pod, T0.plusSeconds(1)),
            pod -> new PodDeleted("prod", pod, T0.plusSeconds(2)));
        for (Function<Pod, PodEvent> step : lifecycle) {
            for (int i = 0; i < 4; i++) {
                sendPodEvent(step.apply(pod("web-" + i)));
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 12);
        Map<String, List<PodEvent>> byPod = received.stream().collect(Collectors.groupingBy(PodEvent::podKey));
        assertThat(byPod).hasSize(4);
        byPod.forEach((pod, events) -> {
            assertThat(events).extracting(e -> (Object) e.getClass())
                .as(pod).containsExactly(PodPending.class, PodScheduled.class, PodDeleted.class);
            assertThat(events).extracting(PodEvent::observedAt).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
            assertThat(events).extracting(PodEvent::cluster).containsOnly("prod");
        });
        assertThat(received.get(0).pod().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
        assertThat(observer.handled).hasSize(12).containsOnly(settings.podEventsTopic());
        assertThat(observer.deadLettered).isEmpty();
    }

    @Test
    void metricSamplesArriveOnTheMetricsAddress() throws Exception {
        List<MetricSample> received = new CopyOnWriteArrayList<>();
        vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, message -> {
            received.add(message.body());
            message.reply("applied");
        });
        deploy(new KafkaEventSource(settings, observer, FAST));
        MetricSample sample = new MetricSample("prod", "shop", "checkout", "http_requests_per_second", 1234.5, T0);

        clients.sendAndWait(settings.metricEventsTopic(), MetricEventEncoder.key(sample), new MetricEventEncoder().encode(sample));

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        assertThat(received).containsExactly(sample);
        assertThat(observer.handled).containsExactly(settings.metricEventsTopic());
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicWithReasonAndOriginAndTheNextRecordIsStillHandled() throws Exception {
        List<PodEvent> received = new CopyOnWriteArrayList<>();
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            received.addAll(message.body().events());
            message.reply("applied");
        });
        deploy(new KafkaEventSource(settings, observer, FAST));
        String key = "prod/shop/web-0";
        byte[] oversized = utf8("{\"cluster\": \"prod\", \"type\": \"PENDING\", \"padding\": \"" + "x".repeat(MAX_EVENT_BYTES)
            + "\", \"pod\": {\"metadata\": {\"name\": \"web-0\", \"namespace\": \"shop\"}}}");
        ProducerRecord<byte[], byte[]> badJson = new ProducerRecord<>(settings.podEventsTopic(), utf8(key), utf8("{not json"));
        badJson.headers().add("trace-id", utf8("abc123"));
        List<RecordMetadata> bad = List.of(
            clients.sendAndWait(badJson),
            clients.sendAndWait(settings.podEventsTopic(), key, utf8("{\"cluster\": \"prod\", \"type\": \"PENDING\"}")),
            clients.sendAndWait(settings.podEventsTopic(), key, oversized),
            clients.sendAndWait(settings.metricEventsTopic(), "prod/shop/checkout", utf8("{\"cluster\": \"prod\", \"value\": 3}")));
        RecordMetadata good = sendPodEvent(new PodPending("prod", pod("web-0"), T0));

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        assertThat(received).extracting(PodEvent::podKey).containsExactly("shop/web-0");
        List<ConsumerRecord<byte[], byte[]>> deadLetters = clients.read(settings.deadLetterTopic(), 4);
        assertThat(deadLetters).hasSize(4);
        Map<String, ConsumerRecord<byte[], byte[]>> byOrigin = deadLetters.stream().collect(Collectors.toMap(
            r -> header(r, DeadLetterHeaders.SOURCE_TOPIC) + "-" + header(r, DeadLetterHeaders.SOURCE_PARTITION) + "@"
                + header(r, DeadLetterHeaders.SOURCE_OFFSET), r -> r));
        assertThat(byOrigin).containsOnlyKeys(bad.stream().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).toList());

        ConsumerRecord<byte[], byte[]> first = byOrigin.get(origin(bad.get(0)));
        assertThat(first.key()).isEqualTo(utf8(key));
        assertThat(first.value()).isEqualTo(utf8("{not json"));
        assertThat(header(first, "trace-id")).isEqualTo("abc123");
        assertThat(header(first, DeadLetterHeaders.REASON)).startsWith("not JSON: ");
        assertThat(header(byOrigin.get(origin(bad.get(1))), DeadLetterHeaders.REASON)).isEqualTo("missing field 'pod'");
        ConsumerRecord<byte[], byte[]> big = byOrigin.get(origin(bad.get(2)));
        assertThat(header(big, DeadLetterHeaders.REASON))
            .isEqualTo("event is " + oversized.length + " bytes, more than the limit of " + MAX_EVENT_BYTES);
        assertThat(big.value()).isEqualTo(oversized);
        assertThat(header(byOrigin.get(origin(bad.get(3))), DeadLetterHeaders.REASON)).isEqualTo("missing field 'namespace'");

        assertThat(observer.deadLettered).containsExactlyInAnyOrder(
            settings.podEventsTopic() + ": " + header(first, DeadLetterHeaders.REASON),
            settings.podEventsTopic() + ": missing field 'pod'",
            settings.podEventsTopic() + ": " + header(big, DeadLetterHeaders.REASON),
            settings.metricEventsTopic() + ": missing field 'namespace'");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(clients.committed(settings.groupId(), settings.podEventsTopic(), good.partition()))
                .isEqualTo(good.offset() + 1);
            assertThat(clients.committed(settings.groupId(), settings.metricEventsTopic())).isEqualTo(bad.get(3).offset() + 1);
        });
    }

    @Test
    void aRecordTooLargeForTheDeadLetterTopicIsDeadLetteredWithoutItsValue() throws Exception {
        KafkaSettings small = new KafkaSettings(settings.bootstrapServers(), settings.groupId(), settings.podEventsTopic(),
            settings.metricEventsTopic(), settings.decisionsTopic(), settings.deadLetterTopic() + "-small", 1024);
        clients.createTopic(small.deadLetterTopic(), Map.of("max.message.bytes", "4096"));
        deploy(new KafkaEventSource(small, observer, FAST));
        byte[] large = utf8("{\"padding\": \"" + "x".repeat(8 * 1024) + "\"}");

        RecordMetadata sent = clients.sendAndWait(small.podEventsTopic(), "prod/shop/big", large);

        ConsumerRecord<byte[], byte[]> deadLetter = clients.read(small.deadLetterTopic(), 1).get(0);
        assertThat(deadLetter.key()).isEqualTo(utf8("prod/shop/big"));
        assertThat(deadLetter.value()).isNull();
        assertThat(header(deadLetter, DeadLetterHeaders.VALUE_OMITTED)).isEqualTo(String.valueOf(large.length));
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).contains("more than the limit of 1024");
        assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(String.valueOf(sent.offset()));
        await().atMost(Duration.ofSeconds(30)).until(
            () -> clients.committed(small.groupId(), small.podEventsTopic(), sent.partition()) == sent.offset() + 1);
    }

    @Test
    void aBatchWhoseRequestGotNoReplyIsDeliveredAgainToTheNextConsumerOfTheGroupAndARepliedOneIsNot() throws Exception {
        List<String> firstRun = new CopyOnWriteArrayList<>();
        MessageConsumer<PodEventBatch> repliesWithoutB = vertx.eventBus().consumer(EventAddresses.POD_BATCHES, message -> {
            List<String> names = names(message.body());
            firstRun.addAll(names);
            if (!names.contains("b")) {
                message.reply("applied");
            }
        });
        String first = deploy(new KafkaEventSource(settings, observer, FAST));
        RecordMetadata a = sendPodEventTo(0, new PodPending("prod", pod("a"), T0));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> clients.committed(settings.groupId(), settings.podEventsTopic()) == a.offset() + 1);
        RecordMetadata b = sendPodEventTo(0, new PodPending("prod", pod("b"), T0));

        await().atMost(Duration.ofSeconds(30)).until(() -> firstRun.contains("b"));
        join(vertx.undeploy(first));
        join(repliesWithoutB.unregister());
        assertThat(clients.committed(settings.groupId(), settings.podEventsTopic())).isEqualTo(a.offset() + 1);
        assertThat(observer.handled).hasSize(1);

        List<String> secondRun = new CopyOnWriteArrayList<>();
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            secondRun.addAll(names(message.body()));
            message.reply("applied");
        });
        deploy(new KafkaEventSource(settings, observer, FAST));

        await().atMost(Duration.ofSeconds(30))
            .until(() -> clients.committed(settings.groupId(), settings.podEventsTopic()) == b.offset() + 1);
        assertThat(secondRun).containsExactly("b");
    }

    @Test
    void aFailedBatchIsTriedAgainFromItsFirstEventAndTheRecordsAfterItWait() throws Exception {
        List<List<String>> failed = new CopyOnWriteArrayList<>();
        List<String> applied = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            List<String> names = names(message.body());
            if (names.contains("a") && failuresLeft.getAndDecrement() > 0) {
                failed.add(names);
                message.fail(503, "scaler busy");
            } else {
                applied.addAll(names);
                message.reply("applied");
            }
        });
        deploy(new KafkaEventSource(settings, observer, FAST));
        sendPodEventTo(0, new PodPending("prod", pod("a"), T0));
        RecordMetadata b = sendPodEventTo(0, new PodPending("prod", pod("b"), T0));

        await().atMost(Duration.ofSeconds(30))
            .until(() -> clients.committed(settings.groupId(), settings.podEventsTopic()) == b.offset() + 1);
        // one poll may have carried a alone or a and b: either way a comes first, and b is applied once, after a
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get(0)).isEqualTo("a");
        assertThat(applied).containsExactly("a", "b");
        assertThat(observer.consumed).hasSize(2 + failed.get(0).size());
        assertThat(observer.handled).hasSize(2);
    }

    @Test
    void eventsWaitForTheScalerToListenInsteadOfBeingDropped() throws Exception {
        deploy(new KafkaEventSource(settings, observer, FAST));
        RecordMetadata a = sendPodEventTo(0, new PodPending("prod", pod("a"), T0));
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.consumed.size() >= 2);

        List<String> received = new CopyOnWriteArrayList<>();
        vertx.eventBus().<PodEventBatch>consumer(EventAddresses.POD_BATCHES, message -> {
            received.addAll(names(message.body()));
            message.reply("applied");
        });

        await().atMost(Duration.ofSeconds(30))
            .until(() -> clients.committed(settings.groupId(), settings.podEventsTopic()) == a.offset() + 1);
        assertThat(received).containsExactly("a");
        assertThat(observer.deadLettered).isEmpty();
    }

    private String deploy(KafkaEventSource source) throws Exception {
        return join(vertx.deployVerticle(source));
    }

    private RecordMetadata sendPodEvent(PodEvent event) throws Exception {
        return clients.sendAndWait(new ProducerRecord<>(settings.podEventsTopic(), null, event.observedAt().toEpochMilli(),
            utf8(PodEventEncoder.key(event)), encoder.encode(event)));
    }

    private RecordMetadata sendPodEventTo(int partition, PodEvent event) throws Exception {
        return clients.sendAndWait(new ProducerRecord<>(settings.podEventsTopic(), partition, event.observedAt().toEpochMilli(),
            utf8(PodEventEncoder.key(event)), encoder.encode(event)));
    }

    private static List<String> names(PodEventBatch batch) {
        return batch.events().stream().map(e -> e.pod().getMetadata().getName()).toList();
    }

    private static String origin(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    static Pod pod(String name) {
        return new PodBuilder()
            .withNewMetadata().withName(name).withNamespace("shop").endMetadata()
            .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
            .build();
    }
}
