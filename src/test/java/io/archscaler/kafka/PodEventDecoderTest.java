package io.archscaler.kafka;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PodEventDecoderTest {
    static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    static final String POD = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"}},
         "spec": {"nodeSelector": {"kubernetes.io/arch": "arm64"},
                  "containers": [{"name": "web", "image": "nginx:1.27",
                                  "resources": {"requests": {"cpu": "500m", "memory": "256Mi"}}}]},
         "status": {"phase": "Pending"}}""";

    private final PodEventDecoder decoder = new PodEventDecoder(4096);

    static String event(String type, String pod) {
        return "{\"cluster\": \"prod\", \"type\": \"" + type + "\", \"pod\": " + pod + "}";
    }

    static Stream<Arguments> eventTypes() {
        return Stream.of(
            arguments("PENDING", PodPending.class),
            arguments("SCHEDULED", PodScheduled.class),
            arguments("DELETED", PodDeleted.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void decodesEachTypeIntoItsEventWithThePod(String type, Class<? extends PodEvent> expected) throws Exception {
        PodEvent event = decoder.decode(bytes(event(type, POD)), SEEN);

        assertThat(event).isInstanceOf(expected);
        assertThat(event.cluster()).isEqualTo("prod");
        assertThat(event.observedAt()).isEqualTo(SEEN);
        assertThat(event.podKey()).isEqualTo("shop/web-1");
        assertThat(event.pod().getSpec().getNodeSelector()).containsEntry("kubernetes.io/arch", "arm64");
        assertThat(event.pod().getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString())
            .isEqualTo("500m");
    }

    @Test
    void acceptsAPodWithoutKindAndApiVersionAndIgnoresUnknownEnvelopeFields() throws Exception {
        String value = "{\"cluster\": \"prod\", \"type\": \"PENDING\", \"source\": \"fleet-7\","
            + " \"pod\": {\"metadata\": {\"name\": \"a\", \"namespace\": \"b\"}}}";

        assertThat(decoder.decode(bytes(value), SEEN).podKey()).isEqualTo("b/a");
    }

    static Stream<Arguments> malformed() {
        String deep = "[".repeat(200) + "]".repeat(200);
        return Stream.of(
            arguments("no value", null, "record has no value"),
            arguments("empty value", new byte[0], "not JSON"),
            arguments("not UTF-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "not UTF-8 text"),
            arguments("truncated JSON", bytes("{\"cluster\": \"prod\""), "not JSON"),
            arguments("two documents", bytes("{} {}"), "not JSON"),
            arguments("a duplicate field", bytes("{\"cluster\": \"a\", \"cluster\": \"b\"}"), "not JSON"),
            arguments("an array", bytes("[1, 2]"), "expected a JSON object, got array"),
            arguments("a string", bytes("\"pod\""), "expected a JSON object, got string"),
            arguments("nesting too deep", bytes(event("PENDING", deep)), "JSON exceeds a limit"),
            arguments("larger than the limit", bytes(event("PENDING", POD) + " ".repeat(4096)), "more than the limit of 4096"),
            arguments("no cluster", bytes("{\"type\": \"PENDING\", \"pod\": " + POD + "}"), "missing field 'cluster'"),
            arguments("cluster a number", bytes("{\"cluster\": 7, \"type\": \"PENDING\", \"pod\": " + POD + "}"),
                "field 'cluster' must be a string, got number"),
            arguments("cluster blank", bytes("{\"cluster\": \" \", \"type\": \"PENDING\", \"pod\": " + POD + "}"),
                "field 'cluster' must not be empty"),
            arguments("no type", bytes("{\"cluster\": \"prod\", \"pod\": " + POD + "}"), "missing field 'type'"),
            arguments("unknown type", bytes(event("RUNNING", POD)), "unknown type 'RUNNING'"),
            arguments("type in lower case", bytes(event("pending", POD)), "unknown type 'pending'"),
            arguments("no pod", bytes("{\"cluster\": \"prod\", \"type\": \"PENDING\"}"), "missing field 'pod'"),
            arguments("pod null", bytes(event("PENDING", "null")), "missing field 'pod'"),
            arguments("pod an array", bytes(event("PENDING", "[]")), "field 'pod' must be an object, got array"),
            arguments("pod without metadata", bytes(event("PENDING", "{\"spec\": {}}")), "pod has no metadata"),
            arguments("pod without name", bytes(event("PENDING", "{\"metadata\": {\"namespace\": \"shop\"}}")),
                "pod has no metadata.name"),
            arguments("pod without namespace", bytes(event("PENDING", "{\"metadata\": {\"name\": \"web-1\"}}")),
                "pod web-1 has no metadata.namespace"),
            arguments("a Node, not a Pod", bytes(event("PENDING", POD.replace("\"kind\": \"Pod\"", "\"kind\": \"Node\""))),
                "pod.kind must be Pod, got Node"),
            arguments("another apiVersion", bytes(event("PENDING", POD.replace("\"v1\"", "\"v2\""))),
                "pod.apiVersion must be v1, got v2"),
            arguments("spec a string", bytes(event("PENDING", "{\"metadata\": {\"name\": \"a\", \"namespace\": \"b\"}, \"spec\": \"x\"}")),
                "'pod' is not a Kubernetes Pod"),
            arguments("containers an object", bytes(event("PENDING",
                    "{\"metadata\": {\"name\": \"a\", \"namespace\": \"b\"}, \"spec\": {\"containers\": {\"x\": 1}}}")),
                "'pod' is not a Kubernetes Pod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedValuesWithAOneLineReason(String name, byte[] value, String reason) {
        assertThatThrownBy(() -> decoder.decode(value, SEEN))
            .isInstanceOf(EventDecodeException.class)
            .hasMessageContaining(reason)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
