package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.archscaler.events.MetricSample;
import io.archscaler.hpa.HpaObjects;
import io.archscaler.kafka.MetricEventEncoder;
import io.archscaler.testing.EmbeddedKafkaBroker;
import io.fabric8.kubernetes.api.model.Pod;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metric events on a real Kafka broker make the controller plan nodes for the pods an HPA is about
 * to add, before they exist; when the HPA's pods come they land on those nodes with no new
 * scale-up, and the headroom is released.
 */
class HeadroomControllerIT {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void nodesAreAskedForBeforeTheHpaCreatesItsPods() throws Exception {
        String kafka = "kafka: {bootstrapServers: \"" + broker.bootstrapServers() + "\", groupId: hr,"
                + " topics: {podEvents: hr-pods, metricEvents: hr-metrics, decisions: hr-decisions, deadLetter: hr-dlq}}";
        broker.createTopics("hr-pods", "hr-metrics", "hr-decisions", "hr-dlq");
        try (ControllerHarness h = new ControllerHarness(false, "500ms", kafka);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            h.client.apps().deployments().inNamespace("shop").resource(HpaObjects.deployment(4)).create();
            h.client.apps().replicaSets().inNamespace("shop").resource(HpaObjects.replicaSet(4)).create();
            h.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").resource(HpaObjects.hpa(4)).create();
            Controller c = h.startController("c0");
            for (int i = 0; i < 4; i++) {
                h.client.pods().inNamespace("shop").resource(HpaObjects.pod("checkout-7d9f8c6b5-a" + i, Instant.now()))
                        .create();
            }
            h.closeBatch(c, 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> allScheduled(h));
            int scaleUpsBefore = h.successfulScaleUps("arm").size();

            // load climbs: 300 requests/s per pod against a target of 100 → the HPA wants 12 replicas, and
            // with no behavior given it may at most double (max(2 × 4, 4) = 8): 4 more pods are coming
            MetricSample sample = new MetricSample("test", "shop", "checkout", "http_requests_per_second", 300,
                    Instant.now());
            producer.send(new ProducerRecord<>("hr-metrics", MetricEventEncoder.key(sample),
                    new MetricEventEncoder().encode(sample))).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> h.successfulScaleUps("arm").size() > scaleUpsBefore);
            Decision ahead = h.successfulScaleUps("arm").get(scaleUpsBefore);
            assertThat(ahead.reason()).startsWith("ahead of HPA");
            assertThat(ahead.pods()).allMatch(p -> p.startsWith("shop/checkout-headroom-"));
            assertThat(h.client.pods().inNamespace("shop").list().getItems()).hasSize(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.client.nodes().list().getItems().size() == ahead.to());

            // the HPA acts: its 4 new pods find the room already there
            for (int i = 0; i < 4; i++) {
                h.client.pods().inNamespace("shop").resource(HpaObjects.pod("checkout-7d9f8c6b5-b" + i, Instant.now()))
                        .create();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> allScheduled(h));
            assertThat(h.client.pods().inNamespace("shop").list().getItems()).hasSize(8);
            assertThat(ahead.pods()).hasSize(2); // of the 4 headroom pods, 2 fit the room left on the first nodes
            assertThat(h.successfulScaleUps("arm")).hasSize(scaleUpsBefore + 1);
            assertThat(h.successfulScaleUps("x86")).isEmpty();
        }
    }

    private static boolean allScheduled(ControllerHarness h) {
        List<Pod> pods = h.client.pods().inNamespace("shop").list().getItems();
        return !pods.isEmpty() && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
    }
}
