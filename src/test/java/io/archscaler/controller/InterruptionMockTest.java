package io.archscaler.controller;

import io.archscaler.events.Decision;
import io.archscaler.testing.SqsQueueServer;
import io.fabric8.kubernetes.api.model.Event;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interruption messages through a real SQS-compatible server (ElasticMQ, in-process, spoken to by
 * the AWS SDK v2 client) into the whole loop against fabric8's CRUD mock API, the stand-in
 * scheduler and simulated node groups. The node's {@code spec.providerID} is set to an EC2 one, as
 * the kubelet's AWS cloud provider sets it.
 */
class InterruptionMockTest {
    private static final String INSTANCE = "i-0b662ef9931388ba0";

    private SqsQueueServer sqs;
    private URI queue;

    @BeforeEach
    void startQueue() {
        sqs = SqsQueueServer.start();
        queue = sqs.createQueue("archscaler-interruptions");
    }

    @AfterEach
    void stopQueue() {
        sqs.stop();
    }

    private ControllerHarness harness(String rebalance) {
        return new ControllerHarness(new ControllerHarness.Setup().extraYaml("""
                aws:
                  region: us-west-2
                  endpoints: {sqs: "%s"}
                  interruptionQueue: {url: "%s", rebalance: %s}
                scaleDown: {maxGracefulTermination: 5s}
                """.formatted(sqs.endpoint(), queue, rebalance)));
    }

    /** Two pods running on one arm64 node, whose providerID names {@link #INSTANCE}; returns the node's name. */
    private static String runningNode(ControllerHarness h, Controller c) {
        h.createPods("web", 2, "500m", Map.of());
        h.closeBatch(c, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("web").contains(null));
        String node = h.client.pods().inNamespace("default").withName("web-0").get().getSpec().getNodeName();
        h.client.nodes().withName(node).edit(n -> {
            n.getSpec().setProviderID("aws:///us-west-2a/" + INSTANCE);
            return n;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> h.client.nodes().withName(node).get() != null);
        return node;
    }

    private String ec2Event(String detailType, String detail, Instant time) {
        return """
                {"version": "0", "id": "%s", "detail-type": "%s", "source": "aws.ec2", "account": "123456789012",
                 "time": "%s", "region": "us-west-2", "resources": ["arn:aws:ec2:us-west-2a:instance/%s"],
                 "detail": %s}""".formatted(java.util.UUID.randomUUID(), detailType, time, INSTANCE, detail);
    }

    private String spotWarning(Instant time) {
        return ec2Event("EC2 Spot Instance Interruption Warning",
                "{\"instance-id\": \"" + INSTANCE + "\", \"instance-action\": \"terminate\"}", time);
    }

    private static List<String> podsOn(ControllerHarness h, String node) {
        return h.client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName())).map(p -> p.getMetadata().getName()).toList();
    }

    private static int armTarget(Controller c) throws Exception {
        return ControllerHarness.status(c).getJsonArray("nodeGroups").stream().map(JsonObject.class::cast)
                .filter(g -> g.getString("name").equals("arm")).findFirst().orElseThrow().getInteger("targetSize");
    }

    private static List<String> armNodes(ControllerHarness h) {
        return h.client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                .filter(n -> n.startsWith("arm-")).toList();
    }

    private static String counter(String kind, String outcome) {
        return "archscaler_interruptions_total{kind=\"" + kind + "\",outcome=\"" + outcome + "\"} ";
    }

    @Test
    void aSpotWarningTaintsCordonsReplacesAndDrainsTheNodeAndDeletesTheMessageOnlyAfter() throws Exception {
        try (ControllerHarness h = harness("record")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);

            sqs.send(queue, spotWarning(h.time.clock().instant()));

            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messagesLeft(queue) == 0);
            // deleted only once handled: the drain had finished and the instance had left its group by then
            assertThat(podsOn(h, node)).isEmpty();
            // the node's two pods planned like pending pods: one more arm64 node (they fit on one)
            assertThat(h.successfulScaleUps("arm")).hasSize(2).last()
                    .satisfies(d -> assertThat(d.to() - d.from()).isEqualTo(1));
            List<Event> events = h.client.v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo(node);
                assertThat(e.getReason()).isEqualTo("SpotInterruption");
                assertThat(e.getMessage()).contains("tainted " + NodeDrainer.INTERRUPTED_TAINT + " and cordoned");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo(node);
                assertThat(e.getMessage()).contains("replacement asked for: arm 1->2");
            });
            // the instance left its group with the target one lower: the replacement is the group's only node,
            // no second one launched by the group for the reclaimed instance
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("InterruptedNodeRemoved");
                assertThat(e.getMessage()).contains("target 2->1");
            });
            assertThat(h.client.nodes().withName(node).get()).isNull();
            assertThat(armTarget(c)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> armNodes(h).size() == 1);
            assertThat(armNodes(h)).doesNotContain(node);
            String metrics = ControllerHarness.metrics(c);
            assertThat(metrics).contains(counter("spot_interruption", "replaced") + "1.0");
            assertThat(metrics).contains("archscaler_interruption_handling_duration_seconds_count{kind=\"spot_interruption\"} 1");
            JsonObject last = ControllerHarness.status(c).getJsonObject("interruptions").getJsonArray("last")
                    .getJsonObject(0);
            assertThat(last.getString("node")).isEqualTo(node);
            assertThat(last.getString("outcome")).isEqualTo("replaced");

            // the same warning again (a redelivery): a duplicate, acknowledged
            sqs.send(queue, spotWarning(h.time.clock().instant()));
            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("spot_interruption", "duplicate") + "1.0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messagesLeft(queue) == 0);
            assertThat(h.successfulScaleUps("arm")).hasSize(2);
        }
    }

    @Test
    void aHandlingThatFailsKeepsTheMessageWhichComesBackAndIsHandled() throws Exception {
        try (ControllerHarness h = harness("record")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);
            h.cluster.refuseNextWrite("/api/v1/nodes/" + node, 403);

            sqs.send(queue, spotWarning(h.time.clock().instant()));

            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("spot_interruption", "failed") + "1.0"));
            assertThat(sqs.messagesLeft(queue)).isEqualTo(1);
            // back after the retry delay, and handled
            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("spot_interruption", "replaced") + "1.0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messagesLeft(queue) == 0);
            assertThat(podsOn(h, node)).isEmpty();
        }
    }

    @Test
    void unknownInstancesAndMalformedMessagesAreDeletedAndCountedAndTheReaderGoesOn() throws Exception {
        try (ControllerHarness h = harness("record")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);

            sqs.send(queue, ec2Event("EC2 Spot Instance Interruption Warning",
                    "{\"instance-id\": \"i-0000000000000000f\", \"instance-action\": \"terminate\"}",
                    h.time.clock().instant()));
            sqs.send(queue, "{not json");

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String m = ControllerHarness.metrics(c);
                return m.contains(counter("spot_interruption", "unknown_instance") + "1.0")
                        && m.contains(counter("malformed", "malformed") + "1.0");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messagesLeft(queue) == 0);

            // and the next warning is handled
            sqs.send(queue, spotWarning(h.time.clock().instant()));
            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("spot_interruption", "replaced") + "1.0"));
            assertThat(podsOn(h, node)).isEmpty();
        }
    }

    @Test
    void aRebalanceRecommendationIsOnlyRecordedUnlessRebalanceIsAct() throws Exception {
        String rebalance = "{\"instance-id\": \"" + INSTANCE + "\"}";
        try (ControllerHarness h = harness("record")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);

            sqs.send(queue, ec2Event("EC2 Instance Rebalance Recommendation", rebalance, h.time.clock().instant()));

            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("rebalance_recommendation", "recorded") + "1.0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messagesLeft(queue) == 0);
            assertThat(h.client.nodes().withName(node).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            assertThat(podsOn(h, node)).containsExactlyInAnyOrder("web-0", "web-1");
            assertThat(h.client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo(node);
                assertThat(e.getReason()).isEqualTo("RebalanceRecommendation");
            });
        }
        // a fresh queue: the stopped controller's last long poll may still hold a receive open on the first
        queue = sqs.createQueue("archscaler-interruptions-act");
        try (ControllerHarness h = harness("act")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);

            sqs.send(queue, ec2Event("EC2 Instance Rebalance Recommendation", rebalance, h.time.clock().instant()));

            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("rebalance_recommendation", "replaced") + "1.0"));
            assertThat(podsOn(h, node)).isEmpty();
            assertThat(h.client.nodes().withName(node).get()).isNull();
            assertThat(armTarget(c)).isEqualTo(1);
        }
    }

    @Test
    void aLateWarningAndAStateChangeCleanUpTheNode() throws Exception {
        try (ControllerHarness h = harness("record")) {
            Controller c = h.startController("c0");
            String node = runningNode(h, c);

            sqs.send(queue, spotWarning(h.time.clock().instant().minus(Duration.ofMinutes(3))));

            await().atMost(Duration.ofSeconds(30)).until(() -> h.client.nodes().withName(node).get() == null);
            await().atMost(Duration.ofSeconds(10)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("spot_interruption", "late") + "1.0"));
            // the simulated group still had the instance: it left with the target one lower
            assertThat(armTarget(c)).isZero();

            sqs.send(queue, ec2Event("EC2 Instance State-change Notification",
                    "{\"instance-id\": \"" + INSTANCE + "\", \"state\": \"terminated\"}", h.time.clock().instant()));
            // the instance left its group already, its node with it: handled before, acknowledged
            await().atMost(Duration.ofSeconds(30)).until(() -> ControllerHarness.metrics(c)
                    .contains(counter("state_change", "duplicate") + "1.0"));
            assertThat(armTarget(c)).isZero();
            assertThat(h.decisions).noneMatch(d -> d.action() == Decision.SCALE_DOWN);
        }
    }

    @Test
    void aFollowerLeavesTheQueueAlone() throws Exception {
        try (ControllerHarness h = new ControllerHarness(new ControllerHarness.Setup().leaderElection(true)
                .extraYaml("""
                        aws:
                          region: us-west-2
                          endpoints: {sqs: "%s"}
                          interruptionQueue: "%s"
                        """.formatted(sqs.endpoint(), queue)))) {
            Controller first = h.startController("c0");
            await().atMost(Duration.ofSeconds(20)).until(() -> ControllerHarness.status(first).getBoolean("leader"));
            Controller second = h.startController("c1");

            sqs.send(queue, "{not json");

            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messagesLeft(queue) == 0);
            assertThat(ControllerHarness.metrics(first)).contains(counter("malformed", "malformed") + "1.0");
            assertThat(ControllerHarness.metrics(second)).doesNotContain(counter("malformed", "malformed"));
        }
    }
}
