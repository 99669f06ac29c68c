package io.archscaler.kafka;

import io.archscaler.events.MetricSample;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class EventEncodersTest {
    static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    static final Pod POD = new PodBuilder()
        .withNewMetadata().withName("web-1").withNamespace("shop").addToLabels("app", "web").endMetadata()
        .withNewSpec()
        .addToNodeSelector("kubernetes.io/arch", "arm64")
        .addNewContainer().withName("web").withImage("nginx:1.27")
        .withNewResources().addToRequests("cpu", new Quantity("500m")).endResources()
        .endContainer()
        .endSpec()
        .build();

    static Stream<Arguments> podEvents() {
        return Stream.of(
            arguments(new PodPending("prod", POD, SEEN), "PENDING"),
            arguments(new PodScheduled("prod", POD, SEEN), "SCHEDULED"),
            arguments(new PodDeleted("prod", POD, SEEN), "DELETED"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("podEvents")
    void aPodEventSurvivesEncodingAndDecoding(PodEvent event, String type) throws Exception {
        byte[] value = new PodEventEncoder().encode(event);

        assertThat(new JsonObject(new String(value, StandardCharsets.UTF_8)).getString("type")).isEqualTo(type);
        assertThat(new PodEventDecoder(KafkaSettings.DEFAULT_MAX_EVENT_BYTES).decode(value, SEEN)).isEqualTo(event);
        assertThat(PodEventEncoder.key(event)).isEqualTo("prod/shop/web-1");
    }

    @Test
    void aMetricSampleSurvivesEncodingAndDecoding() throws Exception {
        MetricSample sample = new MetricSample("prod", "shop", "checkout", "http_requests_per_second", 1234.5, SEEN);

        byte[] value = new MetricEventEncoder().encode(sample);

        assertThat(new MetricEventDecoder(KafkaSettings.DEFAULT_MAX_EVENT_BYTES).decode(value)).isEqualTo(sample);
        assertThat(MetricEventEncoder.key(sample)).isEqualTo("prod/shop/checkout");
    }
}
