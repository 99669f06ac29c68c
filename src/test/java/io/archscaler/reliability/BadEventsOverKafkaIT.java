package io.archscaler.reliability;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.archscaler.kafka.DeadLetterHeaders;
import io.archscaler.kafka.KafkaTestClients;
import io.archscaler.metrics.MetricNames;
import io.archscaler.testing.KafkaBrokerExtension;
import io.fabric8.kubernetes.api.model.Pod;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.archscaler.kafka.KafkaTestClients.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad and disordered pod events on Kafka, through the running controller: records over
 * {@code kafka.maxEventBytes} and JSON nested past any real Pod go to the dead-letter topic and
 * are counted; duplicates and events out of order (SCHEDULED before PENDING, DELETED twice,
 * PENDING after DELETED) are absorbed and counted; none of it stops the consumer, none of it is
 * planned, and the good pods among them are planned once each.
 */
class BadEventsOverKafkaIT {
    private static final int MAX_EVENT_BYTES = 64 * 1024;
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void oversizedNestedDuplicateAndOutOfOrderEventsAreHandledCountedAndNeverPlanned() throws Exception {
        KAFKA.createTopics("bad");
        FaultHarness.Setup setup = FaultHarness.Setup.single("300ms", 10)
                .withExtra(KAFKA.configBlock("bad", MAX_EVENT_BYTES));
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), setup); KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            FaultHarness.Replica c = h.start("c0");
            long started = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            String topic = "pods-bad";

            // an event over the size limit: a pod with a 100 KiB annotation
            Pod big = pod("big-0");
            big.getMetadata().setAnnotations(Map.of("note", "x".repeat(100 * 1024)));
            sent.add(kafka.send(topic, new PodPending("test", big, Instant.now())));
            // JSON nested 10,000 deep
            String nested = "[".repeat(10_000) + "]".repeat(10_000);
            sent.add(kafka.send(topic, "test/default/nested-0",
                    ("{\"cluster\":\"test\",\"type\":\"PENDING\",\"pod\":" + nested + "}").getBytes(StandardCharsets.UTF_8)));
            // SCHEDULED before PENDING
            Pod early = pod("ooo-0");
            Pod boundEarly = pod("ooo-0");
            boundEarly.getSpec().setNodeName("some-node");
            sent.add(kafka.send(topic, new PodScheduled("test", boundEarly, Instant.now())));
            sent.add(kafka.send(topic, new PodPending("test", early, Instant.now())));
            // DELETED twice
            sent.add(kafka.send(topic, new PodPending("test", pod("gone-0"), Instant.now())));
            sent.add(kafka.send(topic, new PodDeleted("test", pod("gone-0"), Instant.now())));
            sent.add(kafka.send(topic, new PodDeleted("test", pod("gone-0"), Instant.now())));
            // PENDING after DELETED, the same pod (uid)
            sent.add(kafka.send(topic, new PodDeleted("test", pod("late-0"), Instant.now())));
            sent.add(kafka.send(topic, new PodPending("test", pod("late-0"), Instant.now())));
            // the same PENDING three times
            for (int i = 0; i < 3; i++) {
                sent.add(kafka.send(topic, new PodPending("test", pod("dup-0"), Instant.now())));
            }
            // and a good pod after all of it
            sent.add(kafka.send(topic, new PodPending("test", pod("good-0"), Instant.now())));
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
            int events = sent.size();

            boolean handled = Waiting.until(Duration.ofSeconds(60),
                    () -> kafka.committed("group-bad", topic) == events && h.scaleUps().size() >= 1
                            && ScaleUpAudit.of(h.scaleUps()).neverPlanned(List.of("default/dup-0", "default/good-0")).isEmpty());
            // a bad event planned, or a good one planned twice, would be in the plans made on everything consumed:
            // wait for the next one
            boolean replanned = handled && c.plannedAfter(c.plans(), Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> dead = kafka.read("dlq-bad", 2, Duration.ofSeconds(20));
            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            long duplicateEvents = (long) c.counter(MetricNames.EVENTS_IGNORED, "reason", "duplicate");
            long outOfOrder = (long) c.counter(MetricNames.EVENTS_IGNORED, "reason", "out_of_order");
            long deadLettered = (long) c.counter(MetricNames.KAFKA_EVENTS_DEAD_LETTERED);
            long pending = c.status().getJsonObject("pendingPods").getLong("total");
            List<String> reasons = dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList();
            List<String> wronglyPlanned = audit.timesPlanned().keySet().stream()
                    .filter(p -> !p.equals("default/dup-0") && !p.equals("default/good-0")).toList();
            long duplicates = audit.plannedTwice().size() + Math.max(0, h.targetSize("arm") + h.targetSize("x86") - 2)
                    + wronglyPlanned.size();
            long losses = audit.neverPlanned(List.of("default/dup-0", "default/good-0")).size();

            ReliabilityLog.write(new ReliabilityLog.Fault("kafka-duplicate-out-of-order",
                    "Duplicate and out-of-order pod events on Kafka",
                    "on the pod-events topic: SCHEDULED before PENDING, PENDING then DELETED twice, DELETED then "
                            + "PENDING of the same uid, the same PENDING three times, then a good pod",
                    events - 2, audit.decisions(), duplicateEvents + outOfOrder, duplicates, losses,
                    duplicateEvents + " counted duplicate, " + outOfOrder + " counted out_of_order "
                            + "(archscaler_events_ignored_total); planned: " + audit.timesPlanned().keySet()
                            + "; pending in /status: " + pending, Waiting.since(started)));
            ReliabilityLog.write(new ReliabilityLog.BadInput("kafka-oversized-nested",
                    "Pod events over kafka.maxEventBytes and nested 10,000 deep, on Kafka",
                    "a 100 KiB event against maxEventBytes 64Ki and a 20 KB event of nested arrays, sent among "
                            + "good events to the running controller",
                    2, 0, dead.size(), 0,
                    "dead-lettered with reasons " + reasons + "; archscaler_kafka_events_dead_lettered_total "
                            + deadLettered + "; the consumer went on and committed all " + events + " records"));

            assertThat(handled).as("every record handled and committed, the good pods planned").isTrue();
            assertThat(replanned).as("a plan made after every record was handled").isTrue();
            assertThat(dead).hasSize(2);
            assertThat(reasons.get(0)).contains("bytes, more than the limit of " + MAX_EVENT_BYTES);
            assertThat(reasons.get(1)).contains("JSON exceeds a limit");
            assertThat(deadLettered).isEqualTo(2);
            assertThat(duplicateEvents).as("dup-0 twice, gone-0's second DELETED, late-0's DELETED of an unknown pod")
                    .isEqualTo(4);
            assertThat(outOfOrder).as("ooo-0's PENDING after SCHEDULED, late-0's PENDING after DELETED").isEqualTo(2);
            assertThat(audit.timesPlanned()).containsOnlyKeys("default/dup-0", "default/good-0");
            assertThat(audit.plannedTwice()).isEmpty();
            assertThat(pending).as("dup-0 and good-0 wait for their nodes; nothing else is pending").isEqualTo(2);
        }
    }

    private static Pod pod(String name) {
        return FaultHarness.pod(name.substring(0, name.indexOf('-')), name, "250m", "5Gi", Map.of());
    }
}
