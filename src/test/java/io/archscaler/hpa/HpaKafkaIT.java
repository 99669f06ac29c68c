package io.archscaler.hpa;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.MetricSample;
import io.archscaler.kafka.EventSourceObserver;
import io.archscaler.kafka.KafkaEventSource;
import io.archscaler.kafka.KafkaSettings;
import io.archscaler.kafka.MetricEventEncoder;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.testing.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Metric events on a real Kafka broker reach the {@link HpaHeadroom} through the Kafka source and the bus. */
class HpaKafkaIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    private Vertx vertx;
    private HpaHeadroom headroom;
    private final List<HpaHeadroom.Forecast> forecasts = new CopyOnWriteArrayList<>();
    private final List<List<PendingPod>> headroomAfterEachSample = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
        headroom = new HpaHeadroom("prod", Duration.ofMinutes(5), KubePods::toPendingPod, Clock.systemUTC());
        // the scaler's part: objects and samples handled on one context, in order
        vertx.runOnContext(v -> {
            headroom.onObject(HpaObjects.hpa(4), false);
            headroom.onObject(HpaObjects.deployment(4), false);
            vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, m -> {
                headroom.onSample(m.body()).ifPresent(forecasts::add);
                headroomAfterEachSample.add(headroom.headroomPods());
                m.reply(null);
            });
        });
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void metricEventsOnKafkaPredictTheHpaAndBookHeadroom() throws Exception {
        KafkaSettings settings = new KafkaSettings(KAFKA.bootstrapServers(), "hpa-it", "hpa-it.pods", "hpa-it.metrics",
                "hpa-it.decisions", "hpa-it.dead", KafkaSettings.DEFAULT_MAX_EVENT_BYTES);
        KAFKA.broker().createTopics(settings.podEventsTopic(), settings.metricEventsTopic(), settings.deadLetterTopic());
        vertx.deployVerticle(new KafkaEventSource(settings, EventSourceObserver.NOOP, new KafkaEventSource.Timing(
                Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(100))))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        MetricEventEncoder encoder = new MetricEventEncoder();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (double rps : new double[] {150, 250}) {
                MetricSample sample = new MetricSample("prod", "shop", "checkout", "http_requests_per_second", rps,
                        Instant.now());
                producer.send(new ProducerRecord<>(settings.metricEventsTopic(), MetricEventEncoder.key(sample),
                        encoder.encode(sample))).get(30, TimeUnit.SECONDS);
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> forecasts.size() == 2);
        // 1.5 x 4 = 6; then 2.5 x 4 = 10, which the HPA (no behavior) limits to twice the current 4
        assertThat(forecasts).extracting(f -> f.prediction().desiredReplicas()).containsExactly(6, 8);
        assertThat(forecasts).extracting(HpaHeadroom.Forecast::headroomPods).containsExactly(2, 4);
        assertThat(headroomAfterEachSample.get(1)).extracting(PendingPod::key).containsExactly(
                "shop/checkout-headroom-0", "shop/checkout-headroom-1", "shop/checkout-headroom-2",
                "shop/checkout-headroom-3");
    }
}
