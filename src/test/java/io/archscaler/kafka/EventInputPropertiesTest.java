package io.archscaler.kafka;

import io.archscaler.events.MetricSample;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod and metric events as they go wrong on the wire: mutated copies of real events, nesting of
 * any depth, sizes either side of the limit, broken UTF-8. Each is decoded or refused with an
 * {@link EventDecodeException} saying why; the limits hold exactly.
 */
class EventInputPropertiesTest {
    private static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final int LIMIT = 4096;

    private final PodEventDecoder pods = new PodEventDecoder(LIMIT);
    private final MetricEventDecoder metrics = new MetricEventDecoder(LIMIT);
    private final InputTally mutated = new InputTally();
    private final InputTally nested = new InputTally();
    private final InputTally sized = new InputTally();
    private final InputTally utf8 = new InputTally();

    @Property(tries = 1000)
    void mutatedRealEventsAreDecodedOrRefused(@ForAll("mutated") String value) {
        decode(value.getBytes(StandardCharsets.UTF_8), mutated);
    }

    @Property(tries = 200)
    void nestingPastTheLimitIsRefusedAndWithinItIsRead(@ForAll @IntRange(min = 1, max = 400) int depth) {
        String deep = "[".repeat(depth) + "]".repeat(depth);
        String event = "{\"cluster\":\"prod\",\"type\":\"PENDING\",\"pod\":{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\","
                + "\"annotations\":{\"x\":\"y\"}},\"spec\":{\"x\":" + deep + "}}}";
        // the event object, the pod, the spec and the arrays: depth + 3 levels
        boolean tooDeep = depth + 3 > JsonInput.MAX_DEPTH;
        try {
            pods.decode(event.getBytes(StandardCharsets.UTF_8), SEEN);
            assertThat(tooDeep).as("read although nested " + (depth + 3) + " deep").isFalse();
            nested.accepted();
        } catch (EventDecodeException e) {
            if (tooDeep) {
                assertThat(e.getMessage()).startsWith("JSON exceeds a limit");
            }
            nested.refused(e.getMessage());
        }
    }

    @Property(tries = 200)
    void eventsAreRefusedExactlyWhenOverTheSizeLimit(@ForAll @IntRange(min = LIMIT - 200, max = LIMIT + 200) int size) {
        String head = "{\"cluster\":\"prod\",\"namespace\":\"shop\",\"hpa\":\"checkout\",\"metric\":\"rps\",\"value\":1.5,"
                + "\"timestamp\":\"2026-11-22T10:00:00Z\",\"pad\":\"";
        String value = head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            assertThat(metrics.decode(bytes)).isInstanceOf(MetricSample.class);
            assertThat(bytes.length).isLessThanOrEqualTo(LIMIT);
            sized.accepted();
        } catch (EventDecodeException e) {
            assertThat(bytes.length).isGreaterThan(LIMIT);
            assertThat(e.getMessage()).isEqualTo("event is " + bytes.length + " bytes, more than the limit of " + LIMIT);
            sized.refused(e.getMessage());
        }
    }

    @Property(tries = 300)
    void brokenUtf8AnywhereIsRefused(@ForAll("events") String event, @ForAll @IntRange(max = 10_000) int at,
                                     @ForAll("badSequences") byte[] bad) {
        byte[] good = event.getBytes(StandardCharsets.UTF_8);
        int pos = at % (good.length + 1);
        byte[] value = new byte[good.length + bad.length];
        System.arraycopy(good, 0, value, 0, pos);
        System.arraycopy(bad, 0, value, pos, bad.length);
        System.arraycopy(good, pos, value, pos + bad.length, good.length - pos);
        for (Decoding d : List.<Decoding>of(() -> pods.decode(value, SEEN), () -> metrics.decode(value))) {
            try {
                d.run();
                assertThat(false).as("broken UTF-8 was read").isTrue();
            } catch (EventDecodeException e) {
                assertThat(e.getMessage()).isEqualTo("not UTF-8 text");
            }
        }
        utf8.refused("not UTF-8 text");
    }

    @AfterProperty
    void record() {
        mutated.write("events-mutated", "Pod and metric events: mutated real events",
                "jqwik: 1-3 mutations (cut, spliced, lines dropped or doubled, values replaced) of encoded PENDING, "
                        + "SCHEDULED, DELETED and metric events, decoded as pod and as metric events");
        nested.write("events-nested", "Pod events nested 4 to 403 deep",
                "jqwik: arrays nested 1-400 deep inside a pod's spec; the limit is " + JsonInput.MAX_DEPTH
                        + " levels (refused exactly past it)");
        sized.write("events-size", "Events either side of maxEventBytes",
                "jqwik: metric events of " + (LIMIT - 200) + " to " + (LIMIT + 200) + " bytes against a "
                        + LIMIT + "-byte limit (refused exactly over it)");
        utf8.write("events-utf8", "Events with broken UTF-8",
                "jqwik: overlong, truncated, surrogate and stray continuation byte sequences spliced anywhere into "
                        + "valid events");
    }

    private void decode(byte[] value, InputTally tally) {
        boolean read = false;
        String refusal = null;
        for (Decoding d : List.<Decoding>of(() -> pods.decode(value, SEEN), () -> metrics.decode(value))) {
            try {
                assertThat(d.run()).isNotNull();
                read = true;
            } catch (EventDecodeException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                refusal = e.getMessage();
            }
        }
        if (read) {
            tally.accepted();
        } else {
            tally.refused(refusal);
        }
    }

    @FunctionalInterface
    private interface Decoding {
        Object run() throws EventDecodeException;
    }

    @Provide
    Arbitrary<String> mutated() {
        return Mutations.of(realEvents());
    }

    @Provide
    Arbitrary<String> events() {
        return Arbitraries.of(realEvents());
    }

    @Provide
    Arbitrary<byte[]> badSequences() {
        return Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    }

    private static List<String> realEvents() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("default").withUid("u1")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().addToNodeSelector("kubernetes.io/arch", "arm64").addNewContainer().withName("c")
                .withImage("nginx:1.27").withNewResources().addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("1Gi")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        PodEventEncoder encoder = new PodEventEncoder();
        String metric = "{\"cluster\": \"prod\", \"namespace\": \"shop\", \"hpa\": \"checkout\", "
                + "\"metric\": \"http_requests_per_second\",\n \"value\": 1234.5,\n \"timestamp\": \"2026-11-22T10:00:00Z\"}";
        return List.of(
                pretty(new String(encoder.encode(new PodPending("prod", pod, SEEN)), StandardCharsets.UTF_8)),
                pretty(new String(encoder.encode(new PodScheduled("prod", pod, SEEN)), StandardCharsets.UTF_8)),
                pretty(new String(encoder.encode(new PodDeleted("prod", pod, SEEN)), StandardCharsets.UTF_8)),
                metric);
    }

    /** One field a line, so line mutations have something to bite on. */
    private static String pretty(String json) {
        return new io.vertx.core.json.JsonObject(json).encodePrettily();
    }
}
