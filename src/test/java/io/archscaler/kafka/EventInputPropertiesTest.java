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
import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod and metric events as they go wrong on the wire: mutated copies of real events, nesting of
 * any depth, sizes either side of the limit, broken UTF-8. Each is decoded or refused with an
 * {@link EventDecodeException} saying why; the limits hold exactly. One instance for all tries, so
 * the tallies count every try.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventInputPropertiesTest {
    private static final Instant SEEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final int LIMIT = 4096;
    private static final List<byte[]> BAD_SEQUENCES = List.of(new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    private static final List<String> REAL_EVENTS = realEvents();

    private final PodEventDecoder pods = new PodEventDecoder(LIMIT);
    private final MetricEventDecoder metrics = new MetricEventDecoder(LIMIT);
    private final InputTally mutated = new InputTally();
    private final InputTally nested = new InputTally();
    private final InputTally sized = new InputTally();
    private final InputTally utf8 = new InputTally();

    @ParameterizedTest(name = "seed {0}")
    @Seeds(1000)
    void mutatedRealEventsAreDecodedOrRefused(long seed) {
        String value = Mutations.of(new Gen(seed), REAL_EVENTS);
        Tries.check(seed, () -> decode(value.getBytes(StandardCharsets.UTF_8), mutated), value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutationEdgeCases")
    void mutationsAtTheEdgesOfRealEventsAreDecodedOrRefused(String value) {
        decode(value.getBytes(StandardCharsets.UTF_8), new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(200)
    void nestingPastTheLimitIsRefusedAndWithinItIsRead(long seed) {
        int depth = new Gen(seed).between(1, 400);
        Tries.check(seed, () -> nestedDecodedOrRefused(depth, nested), depth);
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, JsonInput.MAX_DEPTH - 4, JsonInput.MAX_DEPTH - 3, JsonInput.MAX_DEPTH - 2, 400})
    void nestingAtTheEdgesIsRefusedExactlyPastTheLimit(int depth) {
        nestedDecodedOrRefused(depth, new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(200)
    void eventsAreRefusedExactlyWhenOverTheSizeLimit(long seed) {
        int size = new Gen(seed).between(LIMIT - 200, LIMIT + 200);
        Tries.check(seed, () -> sizedDecodedOrRefused(size, sized), size);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {LIMIT - 200, LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 200})
    void eventsAtTheEdgesOfTheSizeLimitAreRefusedExactlyWhenOver(int size) {
        sizedDecodedOrRefused(size, new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void brokenUtf8AnywhereIsRefused(long seed) {
        Gen gen = new Gen(seed);
        String event = gen.pick(REAL_EVENTS);
        int at = gen.between(0, 10_000);
        byte[] bad = gen.pick(BAD_SEQUENCES);
        Tries.check(seed, () -> brokenUtf8Refused(event, at, bad, utf8), event, at, bad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenUtf8EdgeCases")
    void brokenUtf8AtTheStartOrTheEndIsRefused(String event, int at, byte[] bad) {
        brokenUtf8Refused(event, at, bad, new InputTally());
    }

    private void nestedDecodedOrRefused(int depth, InputTally tally) {
        String deep = "[".repeat(depth) + "]".repeat(depth);
        String event = "{\"cluster\":\"prod\",\"type\":\"PENDING\",\"pod\":{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\","
                + "\"annotations\":{\"x\":\"y\"}},\"spec\":{\"x\":" + deep + "}}}";
        // the event object, the pod, the spec and the arrays: depth + 3 levels
        boolean tooDeep = depth + 3 > JsonInput.MAX_DEPTH;
        try {
            pods.decode(event.getBytes(StandardCharsets.UTF_8), SEEN);
            assertThat(tooDeep).as("read although nested " + (depth + 3) + " deep").isFalse();
            tally.accepted();
        } catch (EventDecodeException e) {
            if (tooDeep) {
                assertThat(e.getMessage()).startsWith("JSON exceeds a limit");
            }
            tally.refused(e.getMessage());
        }
    }

    private void sizedDecodedOrRefused(int size, InputTally tally) {
        String head = "{\"cluster\":\"prod\",\"namespace\":\"shop\",\"hpa\":\"checkout\",\"metric\":\"rps\",\"value\":1.5,"
                + "\"timestamp\":\"2026-11-22T10:00:00Z\",\"pad\":\"";
        String value = head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            assertThat(metrics.decode(bytes)).isInstanceOf(MetricSample.class);
            assertThat(bytes.length).isLessThanOrEqualTo(LIMIT);
            tally.accepted();
        } catch (EventDecodeException e) {
            assertThat(bytes.length).isGreaterThan(LIMIT);
            assertThat(e.getMessage()).isEqualTo("event is " + bytes.length + " bytes, more than the limit of " + LIMIT);
            tally.refused(e.getMessage());
        }
    }

    private void brokenUtf8Refused(String event, int at, byte[] bad, InputTally tally) {
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
        tally.refused("not UTF-8 text");
    }

    @AfterAll
    void record() {
        mutated.write("events-mutated", "Pod and metric events: mutated real events",
                "seeded: 1-3 mutations (cut, spliced, lines dropped or doubled, values replaced) of encoded PENDING, "
                        + "SCHEDULED, DELETED and metric events, decoded as pod and as metric events");
        nested.write("events-nested", "Pod events nested 4 to 403 deep",
                "seeded: arrays nested 1-400 deep inside a pod's spec; the limit is " + JsonInput.MAX_DEPTH
                        + " levels (refused exactly past it)");
        sized.write("events-size", "Events either side of maxEventBytes",
                "seeded: metric events of " + (LIMIT - 200) + " to " + (LIMIT + 200) + " bytes against a "
                        + LIMIT + "-byte limit (refused exactly over it)");
        utf8.write("events-utf8", "Events with broken UTF-8",
                "seeded: overlong, truncated, surrogate and stray continuation byte sequences spliced anywhere into "
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

    static List<Named<String>> mutationEdgeCases() {
        return Mutations.edgeCases(REAL_EVENTS);
    }

    /** Each bad sequence at the very start and at the very end of each real event. */
    static List<Arguments> brokenUtf8EdgeCases() {
        List<Arguments> out = new ArrayList<>();
        for (int e = 0; e < REAL_EVENTS.size(); e++) {
            for (byte[] bad : BAD_SEQUENCES) {
                String name = HexFormat.ofDelimiter(" ").formatHex(bad) + " in event " + (e + 1);
                out.add(Arguments.of(Named.of(name + " at the start", REAL_EVENTS.get(e)), 0, bad));
                out.add(Arguments.of(Named.of(name + " at the end", REAL_EVENTS.get(e)),
                        REAL_EVENTS.get(e).getBytes(StandardCharsets.UTF_8).length, bad));
            }
        }
        return out;
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
