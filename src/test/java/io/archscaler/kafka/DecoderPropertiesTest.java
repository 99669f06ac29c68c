package io.archscaler.kafka;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a record holds, the decoders return an event or an {@link EventDecodeException}, never anything else. */
class DecoderPropertiesTest {
    private static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final List<String> POD_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status",
        "name", "namespace", "containers", "initContainers", "nodeSelector", "affinity", "tolerations", "resources",
        "requests", "limits", "cpu", "memory", "image", "overhead", "labels", "annotations", "ownerReferences");

    private final PodEventDecoder pods = new PodEventDecoder(64 * 1024);
    private final MetricEventDecoder metrics = new MetricEventDecoder(64 * 1024);

    @Property(tries = 300)
    void randomBytesAreDecodedOrRefused(@ForAll @Size(max = 300) byte[] value) {
        assertDecodedOrRefused(value);
    }

    @Property(tries = 300)
    void randomJsonIsDecodedOrRefused(@ForAll("json") String json) {
        assertDecodedOrRefused(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void podEventsWithARandomPodAreDecodedOrRefused(@ForAll("types") String type, @ForAll("podLike") String pod) {
        byte[] value = ("{\"cluster\": \"prod\", \"type\": \"" + type + "\", \"pod\": " + pod + "}")
            .getBytes(StandardCharsets.UTF_8);
        assertDecodedOrRefused(value);
    }

    @Property(tries = 300)
    void metricEventsWithRandomFieldValuesAreDecodedOrRefused(@ForAll("json") String value, @ForAll("json") String timestamp) {
        String sample = "{\"cluster\": \"prod\", \"namespace\": \"shop\", \"hpa\": \"checkout\", \"metric\": \"rps\","
            + " \"value\": " + value + ", \"timestamp\": " + timestamp + "}";
        assertDecodedOrRefused(sample.getBytes(StandardCharsets.UTF_8));
    }

    private void assertDecodedOrRefused(byte[] value) {
        for (Decoding decoding : List.<Decoding>of(() -> pods.decode(value, SEEN), () -> metrics.decode(value))) {
            try {
                assertThat(decoding.run()).isNotNull();
            } catch (EventDecodeException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
        }
    }

    @FunctionalInterface
    private interface Decoding {
        Object run() throws EventDecodeException;
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("PENDING", "SCHEDULED", "DELETED", "pending", "");
    }

    @Provide
    Arbitrary<String> json() {
        return value(Arbitraries.strings().ofMaxLength(8));
    }

    /** JSON objects built from the words of a Pod, so some of them come close to real pods. */
    @Provide
    Arbitrary<String> podLike() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(POD_FIELDS), Arbitraries.strings().ofMaxLength(4));
        return Arbitraries.recursive(() -> scalar(names), inner -> Arbitraries.oneOf(
                Arbitraries.maps(names, inner).ofMaxSize(4).map(DecoderPropertiesTest::object),
                inner.list().ofMaxSize(3).map(DecoderPropertiesTest::array)), 0, 6)
            .map(v -> "{\"metadata\": {\"name\": \"a\", \"namespace\": \"b\"}, \"spec\": " + v + "}");
    }

    private static Arbitrary<String> value(Arbitrary<String> names) {
        return Arbitraries.recursive(() -> scalar(names), inner -> Arbitraries.oneOf(
            Arbitraries.maps(names, inner).ofMaxSize(4).map(DecoderPropertiesTest::object),
            inner.list().ofMaxSize(3).map(DecoderPropertiesTest::array)), 0, 5);
    }

    private static Arbitrary<String> scalar(Arbitrary<String> names) {
        return Arbitraries.oneOf(
            Arbitraries.of("null", "true", "false", "-0", "1e400", "0.5", "\"2026-11-22T10:00:00Z\"", "\"500m\"", "\"8Gi\""),
            Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
            Arbitraries.longs().map(String::valueOf),
            names.map(DecoderPropertiesTest::quote));
    }

    private static String object(Map<String, String> fields) {
        return fields.entrySet().stream()
            .map(e -> quote(e.getKey()) + ": " + e.getValue())
            .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String array(List<String> items) {
        return String.join(", ", items).transform(s -> "[" + s + "]");
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
