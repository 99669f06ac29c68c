package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SqsQueueServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeGroups;
import static io.archscaler.cloud.aws.asg.AsgXml.describeScalingActivities;
import static io.archscaler.cloud.aws.asg.AsgXml.group;
import static io.archscaler.cloud.aws.asg.AsgXml.instance;
import static io.archscaler.cloud.aws.asg.AsgXml.mixedInstances;
import static io.archscaler.cloud.aws.asg.AsgXml.setDesiredCapacity;
import static io.archscaler.cloud.aws.asg.AsgXml.tags;
import static io.archscaler.cloud.aws.asg.AsgXml.terminateInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A spot interruption warning, through a real SQS-compatible queue (ElasticMQ), for a node of an
 * Auto Scaling group that behaves as AWS does (WireMock): the replacement is asked for with
 * {@code SetDesiredCapacity}, and once the node is drained its instance leaves the group through
 * {@code TerminateInstanceInAutoScalingGroup} with {@code ShouldDecrementDesiredCapacity=true}, so
 * the group does not launch one more instance of its own for the reclaimed one.
 */
class AsgInterruptionMockTest {
    private static final String ASG = "arm-asg";
    private static final String SCENARIO = "arm-asg";
    private static final String I1 = "i-0b662ef9931388ba0";
    private static final String I2 = "i-0c1f2e3d4a5b6c7d8";
    private static final String NODE = "ip-10-0-1-5.us-west-2.compute.internal";
    private static final String CONFIG = """
            cluster: prod
            nodeGroups:
              - name: arm
                provider: asg
                instanceType: m7g.large
                maxSize: 5
                asg: {name: arm-asg}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 15m, backoffInitial: 5m}
            scaleDown: {maxGracefulTermination: 5s}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """;

    /** The group in one state of the scenario: its desired capacity and instances. */
    private static void describeIn(AwsWireMock aws, String state, int desired, String instances) {
        aws.stub(action("DescribeAutoScalingGroups").inScenario(SCENARIO).whenScenarioStateIs(state)
                .willReturn(xml(describeGroups(null, group(ASG, 0, 5, desired, mixedInstances("lt-0arm0000000000001",
                        "m7g.large"), instances, tags(ASG, Map.of("k8s.io/cluster-autoscaler/enabled", "true")))))));
    }

    /** The node the kubelet registered for {@link #I1}, with two pods of a ReplicaSet running on it. */
    private static void runningNode(KubernetesClient client) {
        Node node = new NodeBuilder().withNewMetadata().withName(NODE)
                .withCreationTimestamp(Instant.now().minus(Duration.ofHours(1)).toString())
                .addToLabels(NodeGroupMembership.ARCHSCALER_LABEL, "arm").addToLabels("kubernetes.io/arch", "arm64")
                .addToLabels("kubernetes.io/os", "linux").addToLabels("node.kubernetes.io/instance-type", "m7g.large")
                .endMetadata()
                .withNewSpec().withProviderID("aws:///us-west-2a/" + I1).endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("1930m")).addToAllocatable("memory",
                        new Quantity("7Gi")).addToAllocatable("pods", new Quantity("29"))
                .addToCapacity("cpu", new Quantity("2")).addToCapacity("memory", new Quantity("8Gi"))
                .addToCapacity("pods", new Quantity("29"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        client.nodes().resource(node).create();
        for (int i = 0; i < 2; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata().withNamespace("default").withName("web-" + i)
                    .withCreationTimestamp(Instant.now().toString()).addToLabels("app", "web")
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web")
                    .withUid("u-web").withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("example/web")
                    .withNewResources().addToRequests("cpu", new Quantity("500m"))
                    .addToRequests("memory", new Quantity("1Gi")).endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Running").endStatus().build();
            client.pods().inNamespace("default").resource(pod).create();
        }
    }

    private static String spotWarning(Instant time) {
        return """
                {"version": "0", "id": "7f1c9a52-1f4e-4d3a-9c8b-2e5d6f7a8b9c",
                 "detail-type": "EC2 Spot Instance Interruption Warning", "source": "aws.ec2",
                 "account": "123456789012", "time": "%s", "region": "us-west-2",
                 "resources": ["arn:aws:ec2:us-west-2a:instance/%s"],
                 "detail": {"instance-id": "%s", "instance-action": "terminate"}}""".formatted(time, I1, I1);
    }

    @Test
    void anInstanceAwsTookBeforeTheDrainEndedOnlyLowersTheDesiredCapacityTheGroupStillCounts() throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SqsQueueServer sqs = SqsQueueServer.start();
             SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            URI queue = sqs.createQueue("archscaler-interruptions");
            describeIn(aws, STARTED, 1, instance(I1, "us-west-2a", "InService", "m7g.large"));
            aws.stub(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));
            // the replacement is accepted, and AWS reclaims the spot instance meanwhile: the group lists only the
            // replacement and still wants 2, so it would launch one more of its own
            aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("2"))
                    .inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                    .willReturn(xml(setDesiredCapacity())).willSetStateTo("Taken"));
            String replacement = instance(I2, "us-west-2b", "Pending", "m7g.large");
            describeIn(aws, "Taken", 2, replacement);
            aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("1"))
                    .inScenario(SCENARIO).whenScenarioStateIs("Taken")
                    .willReturn(xml(setDesiredCapacity())).willSetStateTo("Lowered"));
            describeIn(aws, "Lowered", 1, replacement);
            runningNode(cluster.client());
            harness.startWithInterruptions(CONFIG, aws, sqs.endpoint(), queue, cluster.newClient());
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.status("arm").getInteger("size") == 1);

            sqs.send(queue, spotWarning(harness.time.clock().instant()));

            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messagesLeft(queue) == 0);
            // no termination of an instance the group no longer has; the group's own replacement cancelled
            assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).isEmpty();
            assertThat(aws.requests("SetDesiredCapacity")).extracting(r -> r.get("DesiredCapacity"))
                    .containsExactly("2", "1");
            assertThat(harness.status("arm").getInteger("targetSize")).isEqualTo(1);
            assertThat(cluster.client().pods().inNamespace("default").list().getItems()).isEmpty();
        }
    }

    @Test
    void theDrainedInstanceLeavesItsGroupWithTheDesiredCapacityDecremented() throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SqsQueueServer sqs = SqsQueueServer.start();
             SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            URI queue = sqs.createQueue("archscaler-interruptions");
            String running = instance(I1, "us-west-2a", "InService", "m7g.large");
            describeIn(aws, STARTED, 1, running);
            aws.stub(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));
            // the replacement: Auto Scaling accepts desired 2 and starts a second instance
            aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("2"))
                    .inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                    .willReturn(xml(setDesiredCapacity())).willSetStateTo("Replacing"));
            String replacement = instance(I2, "us-west-2b", "Pending", "m7g.large");
            describeIn(aws, "Replacing", 2, running + replacement);
            // the interrupted instance leaves: desired back to 1, the replacement is the group's one instance
            aws.stub(action("TerminateInstanceInAutoScalingGroup").inScenario(SCENARIO).whenScenarioStateIs("Replacing")
                    .willReturn(xml(terminateInstance(ASG, I1))).willSetStateTo("Left"));
            describeIn(aws, "Left", 1, instance(I1, "us-west-2a", "Terminating", "m7g.large") + replacement);
            runningNode(cluster.client());
            harness.startWithInterruptions(CONFIG, aws, sqs.endpoint(), queue, cluster.newClient());
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.status("arm").getInteger("size") == 1);

            sqs.send(queue, spotWarning(harness.time.clock().instant()));

            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messagesLeft(queue) == 0);
            assertThat(aws.requests("SetDesiredCapacity")).containsExactly(Map.of("Action", "SetDesiredCapacity",
                    "Version", "2011-01-01", "AutoScalingGroupName", ASG, "DesiredCapacity", "2",
                    "HonorCooldown", "false"));
            assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).containsExactly(Map.of(
                    "Action", "TerminateInstanceInAutoScalingGroup", "Version", "2011-01-01",
                    "InstanceId", I1, "ShouldDecrementDesiredCapacity", "true"));
            // the termination came after the drain: both pods were evicted first
            assertThat(cluster.client().pods().inNamespace("default").list().getItems()).isEmpty();
            assertThat(harness.status("arm").getInteger("targetSize")).isEqualTo(1);
            assertThat(harness.metrics.registry().find("archscaler_interruptions").tags("kind", "spot_interruption",
                    "outcome", "replaced").counter().count()).isEqualTo(1.0);
        }
    }
}
