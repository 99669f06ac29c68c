package io.archscaler.kafka;

import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a record holds, the decoders return an event or an {@link EventDecodeException}, never anything else. */
class DecoderPropertiesTest {
    private static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final List<String> POD_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status",
        "name", "namespace", "containers", "initContainers", "nodeSelector", "affinity", "tolerations", "resources",
        "requests", "limits", "cpu", "memory", "image", "overhead", "labels", "annotations", "ownerReferences");
    private static final List<String> TYPES = List.of("PENDING", "SCHEDULED", "DELETED", "pending", "");
    private static final List<String> SCALARS = List.of("null", "true", "false", "-0", "1e400", "0.5",
        "\"2026-11-22T10:00:00Z\"", "\"500m\"", "\"8Gi\"");
    /** The JSON a generator tries first: empty containers, the literals, the extreme numbers, an empty string. */
    private static final List<String> EDGE_JSON = Stream.concat(SCALARS.stream(), Stream.of("{}", "[]", "\"\"", "0",
        String.valueOf(Long.MIN_VALUE), String.valueOf(Long.MAX_VALUE), String.valueOf(Double.MIN_VALUE),
        String.valueOf(Double.MAX_VALUE), String.valueOf(-Double.MAX_VALUE), "[[]]", "{\"\": null}")).toList();

    private final PodEventDecoder pods = new PodEventDecoder(64 * 1024);
    private final MetricEventDecoder metrics = new MetricEventDecoder(64 * 1024);

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void randomBytesAreDecodedOrRefused(long seed) {
        byte[] value = new Gen(seed).bytes(300);
        Tries.check(seed, () -> assertDecodedOrRefused(value), value);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "\0", " ", "{", "}", "{}", "[]", "null", "\"\"", "\u00ff"})
    void shortRecordsAreDecodedOrRefused(String value) {
        assertDecodedOrRefused(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void randomJsonIsDecodedOrRefused(long seed) {
        String json = json(new Gen(seed));
        Tries.check(seed, () -> assertDecodedOrRefused(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDGE_JSON")
    void jsonAtTheEdgesIsDecodedOrRefused(String json) {
        assertDecodedOrRefused(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void podEventsWithARandomPodAreDecodedOrRefused(long seed) {
        Gen gen = new Gen(seed);
        String type = gen.pick(TYPES);
        String pod = podLike(gen);
        Tries.check(seed, () -> assertDecodedOrRefused(podEvent(type, pod)), type, pod);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("podEventEdgeCases")
    void podEventsWithAnEmptyOrScalarPodAreDecodedOrRefused(String type, String pod) {
        assertDecodedOrRefused(podEvent(type, pod));
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void metricEventsWithRandomFieldValuesAreDecodedOrRefused(long seed) {
        Gen gen = new Gen(seed);
        String value = json(gen);
        String timestamp = json(gen);
        Tries.check(seed, () -> assertDecodedOrRefused(metricEvent(value, timestamp)), value, timestamp);
    }

    @ParameterizedTest(name = "value {0}")
    @FieldSource("EDGE_JSON")
    void metricEventsWithEdgeFieldValuesAreDecodedOrRefused(String json) {
        assertDecodedOrRefused(metricEvent(json, "\"2026-11-22T10:00:00Z\""));
        assertDecodedOrRefused(metricEvent("1.5", json));
    }

    /** Every event type with a pod that is empty, a scalar or an empty list. */
    static Stream<Arguments> podEventEdgeCases() {
        return TYPES.stream().flatMap(type -> Stream.of("{}", "[]", "null", "\"\"", "{\"metadata\": {}}",
            "{\"spec\": []}").map(pod -> Arguments.of(type, pod)));
    }

    private static byte[] podEvent(String type, String pod) {
        return ("{\"cluster\": \"prod\", \"type\": \"" + type + "\", \"pod\": " + pod + "}")
            .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] metricEvent(String value, String timestamp) {
        return ("{\"cluster\": \"prod\", \"namespace\": \"shop\", \"hpa\": \"checkout\", \"metric\": \"rps\","
            + " \"value\": " + value + ", \"timestamp\": " + timestamp + "}").getBytes(StandardCharsets.UTF_8);
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

    /** JSON up to 5 deep whose names are any short strings. */
    private static String json(Gen gen) {
        return value(gen, () -> gen.string(8), gen.between(0, 5));
    }

    /** JSON objects built from the words of a Pod, so some of them come close to real pods. */
    private static String podLike(Gen gen) {
        Supplier<String> names = () -> gen.oneOf(() -> gen.pick(POD_FIELDS), () -> gen.string(4));
        String spec = value(gen, names, gen.between(0, 6));
        return "{\"metadata\": {\"name\": \"a\", \"namespace\": \"b\"}, \"spec\": " + spec + "}";
    }

    /** A scalar at depth 0; otherwise an object of up to 4 or an array of up to 3 values one level less deep. */
    private static String value(Gen gen, Supplier<String> names, int depth) {
        if (depth == 0) {
            return scalar(gen, names);
        }
        return gen.oneOf(() -> object(gen.map(4, names, () -> value(gen, names, depth - 1))),
            () -> array(gen.list(0, 3, () -> value(gen, names, depth - 1))));
    }

    private static String scalar(Gen gen, Supplier<String> names) {
        return gen.oneOf(() -> gen.pick(SCALARS), () -> String.valueOf(gen.anyFiniteDouble()),
            () -> String.valueOf(gen.anyLong()), () -> quote(names.get()));
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
