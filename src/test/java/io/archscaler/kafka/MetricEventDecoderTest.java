package io.archscaler.kafka;

import io.archscaler.events.MetricSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static io.archscaler.kafka.PodEventDecoderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class MetricEventDecoderTest {
    private final MetricEventDecoder decoder = new MetricEventDecoder(1024);

    static String sample(String value, String timestamp) {
        return "{\"cluster\": \"prod\", \"namespace\": \"shop\", \"hpa\": \"checkout\","
            + " \"metric\": \"http_requests_per_second\", \"value\": " + value + ", \"timestamp\": " + timestamp + "}";
    }

    @Test
    void decodesTheSampleOfDesignMd() throws Exception {
        MetricSample sample = decoder.decode(bytes(sample("1234.5", "\"2026-11-22T10:00:00Z\"")));

        assertThat(sample).isEqualTo(new MetricSample("prod", "shop", "checkout", "http_requests_per_second", 1234.5,
            Instant.parse("2026-11-22T10:00:00Z")));
    }

    @Test
    void acceptsIntegralValuesAndTimestampsWithAnOffset() throws Exception {
        MetricSample sample = decoder.decode(bytes(sample("12", "\"2026-11-22T11:00:00+01:00\"")));

        assertThat(sample.value()).isEqualTo(12.0);
        assertThat(sample.timestamp()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    static Stream<Arguments> malformed() {
        String ts = "\"2026-11-22T10:00:00Z\"";
        return Stream.of(
            arguments("not JSON", bytes("value=3"), "not JSON"),
            arguments("no hpa", bytes("{\"cluster\": \"prod\", \"namespace\": \"shop\", \"metric\": \"m\", \"value\": 1, "
                + "\"timestamp\": " + ts + "}"), "missing field 'hpa'"),
            arguments("namespace a list", bytes("{\"cluster\": \"prod\", \"namespace\": [], \"hpa\": \"h\", \"metric\": \"m\","
                + " \"value\": 1, \"timestamp\": " + ts + "}"), "field 'namespace' must be a string, got array"),
            arguments("no value", bytes(sample("null", ts)), "missing field 'value'"),
            arguments("value a string", bytes(sample("\"12\"", ts)), "field 'value' must be a number, got string"),
            arguments("value NaN as text", bytes(sample("\"NaN\"", ts)), "field 'value' must be a number"),
            arguments("value NaN as a token", bytes(sample("NaN", ts)), "not JSON"),
            arguments("value beyond double", bytes(sample("1e400", ts)), "field 'value' is out of range"),
            arguments("value negative", bytes(sample("-3.5", ts)), "field 'value' must not be negative, got -3.5"),
            arguments("no timestamp", bytes(sample("1", "null")), "missing field 'timestamp'"),
            arguments("timestamp a number", bytes(sample("1", "1763805600")), "field 'timestamp' must be a string, got number"),
            arguments("timestamp not ISO-8601", bytes(sample("1", "\"yesterday\"")), "field 'timestamp' is not an ISO-8601 instant"),
            arguments("timestamp without zone", bytes(sample("1", "\"2026-11-22T10:00:00\"")), "is not an ISO-8601 instant"),
            arguments("larger than the limit", bytes(sample("1", ts) + " ".repeat(1024)), "more than the limit of 1024"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedValuesWithAOneLineReason(String name, byte[] value, String reason) {
        assertThatThrownBy(() -> decoder.decode(value))
            .isInstanceOf(EventDecodeException.class)
            .hasMessageContaining(reason)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
