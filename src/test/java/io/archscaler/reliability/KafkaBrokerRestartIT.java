package io.archscaler.reliability;

import io.archscaler.events.PodPending;
import io.archscaler.kafka.KafkaTestClients;
import io.archscaler.metrics.MetricNames;
import io.archscaler.testing.KafkaBrokerExtension;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka broker stops and comes back while pod events flow into a running controller: every
 * pending pod is still planned once, nothing is asked for twice, and the consumer resumes by
 * itself. A third of the events come before the outage, a third during it and the rest after.
 * Each pod fills a node of its own, so pods and nodes can be counted one for one; the
 * pods are sent in name order, so pods seen earlier take the nodes already asked for and every
 * pod is named by exactly one scale-up.
 */
class KafkaBrokerRestartIT {
    private static final int PODS = 24;
    private static final int SENT_BEFORE_STOP = 8;
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void everyPendingPodIsPlannedOnceAcrossABrokerRestartAndTheConsumerResumesByItself() throws Exception {
        KAFKA.createTopics("restart");
        FaultHarness.Setup setup = FaultHarness.Setup.single("300ms", PODS + 6)
                .withExtra(KAFKA.configBlock("restart", 1 << 20));
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), setup); KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            FaultHarness.Replica c = h.start("c0");
            List<Pod> pods = FaultHarness.pods("web", PODS, "250m", "5Gi", Map.of());
            long started = System.nanoTime();
            List<Future<?>> sends = send(kafka, pods.subList(0, SENT_BEFORE_STOP));
            for (Future<?> f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
            long down = System.nanoTime();
            KAFKA.broker().stop();
            // the clients have seen the broker go once the producer holds no connection to it
            boolean noticed = Waiting.until(Duration.ofSeconds(30), () -> kafka.connections() == 0);
            // pod events keep coming through the outage: the producer holds them meanwhile
            List<Future<?>> held = send(kafka, pods.subList(SENT_BEFORE_STOP, 2 * SENT_BEFORE_STOP));
            boolean heldWhileDown = held.stream().noneMatch(Future::isDone);
            KAFKA.broker().restart();
            Duration outage = Waiting.since(down);
            sends.addAll(held);
            sends.addAll(send(kafka, pods.subList(2 * SENT_BEFORE_STOP, PODS)));
            for (Future<?> f : sends) {
                f.get(120, TimeUnit.SECONDS);
            }

            List<String> keys = pods.stream().map(p -> "default/" + p.getMetadata().getName()).toList();
            boolean allPlanned = Waiting.until(Duration.ofSeconds(90),
                    () -> ScaleUpAudit.of(h.scaleUps()).neverPlanned(keys).isEmpty());
            boolean committed = Waiting.until(Duration.ofSeconds(60),
                    () -> kafka.committed("group-restart", "pods-restart") == PODS);
            // a redelivered event planned again would be in the plans made after every record was consumed
            boolean replanned = committed && c.plannedAfter(c.plans(), Duration.ofSeconds(30));

            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            int calls = h.cloud.scaleUpCalls("arm") + h.cloud.scaleUpCalls("x86");
            int target = h.targetSize("arm") + h.targetSize("x86");
            long consumed = (long) c.counter(MetricNames.KAFKA_EVENTS_CONSUMED, "topic", "pods-restart");
            long duplicateEvents = (long) c.counter(MetricNames.EVENTS_IGNORED, "reason", "duplicate");
            long duplicates = audit.plannedTwice().size() + Math.max(0, calls - audit.decisions())
                    + Math.max(0, target - PODS);
            int decisionsOnTopic = kafka.read("decisions-restart", audit.decisions(), Duration.ofSeconds(20)).size();
            ReliabilityLog.write(new ReliabilityLog.Fault("kafka-broker-restart",
                    "Kafka broker stopped and restarted under load",
                    "EmbeddedKafkaBroker.stop() after " + SENT_BEFORE_STOP + " of " + PODS + " PENDING events were "
                            + "acknowledged; " + SENT_BEFORE_STOP + " more sent once the producer saw it go, held while it"
                            + " is down; restart() on the same ports and log (" + outage.toMillis() / 100 / 10.0
                            + " s down), then the rest",
                    PODS, audit.decisions(), duplicateEvents, duplicates, audit.neverPlanned(keys).size(),
                    "consumer resumed by itself (" + consumed + " records read, committed offset "
                            + kafka.committed("group-restart", "pods-restart") + " of " + PODS + "); cloud calls " + calls
                            + ", target size " + target + "; " + decisionsOnTopic + " of " + audit.decisions()
                            + " decisions on the decisions topic", Waiting.since(started)));

            assertThat(noticed).as("the producer saw the broker go").isTrue();
            assertThat(heldWhileDown).as("events sent during the outage waited for the broker").isTrue();
            assertThat(allPlanned).as("every pod planned").isTrue();
            assertThat(committed).as("the consumer committed every record after the restart").isTrue();
            assertThat(replanned).as("a plan made after every record was consumed").isTrue();
            assertThat(audit.plannedTwice()).as("pods in more than one scale-up").isEmpty();
            assertThat(calls).as("one increaseSize per decision").isEqualTo(audit.decisions());
            assertThat(target).as("one node per pod").isEqualTo(PODS);
            assertThat(decisionsOnTopic).isEqualTo(audit.decisions());
        }
    }

    private static List<Future<?>> send(KafkaTestClients kafka, List<Pod> pods) {
        List<Future<?>> sends = new ArrayList<>();
        for (Pod p : pods) {
            sends.add(kafka.send("pods-restart", new PodPending("test", p, Instant.now())));
        }
        return sends;
    }
}
