package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.asg.AsgXml;
import io.archscaler.events.Decision;
import io.archscaler.testing.SandboxCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeScalingActivities;
import static io.archscaler.cloud.aws.asg.AsgXml.setDesiredCapacity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller against an Auto Scaling group that behaves as AWS does: it accepts
 * {@code SetDesiredCapacity}, starts launching, and about 2 s later its scaling activity ends
 * {@code Failed} with EC2's insufficient-capacity message while no instance ever appears. The
 * flexible pods go to amd64 within seconds and the group's desired capacity is put back.
 */
class AsgLateFailureMockTest {
    private static final String ASG = "arm-asg";
    private static final String SCENARIO = "arm-asg";
    private static final String NO_CAPACITY = "We currently do not have sufficient m7g.large capacity in the"
            + " Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional"
            + " capacity. You can currently get m7g.large capacity by not specifying an Availability Zone in your"
            + " request or choosing us-west-2b, us-west-2c. Launching EC2 instance failed.";
    private static final String CONFIG = """
            cluster: prod
            nodeGroups:
              - name: arm
                provider: asg
                instanceType: m7g.large
                maxSize: 5
                asg: {name: arm-asg}
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: 5
                simulated: {registrationDelay: 300ms}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: %s, backoffInitial: 5m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """;

    /** The group at each state of the scenario: desired capacity, never an instance. */
    private static void describeIn(AwsWireMock aws, String state, int desired) {
        aws.stub(action("DescribeAutoScalingGroups").inScenario(SCENARIO).whenScenarioStateIs(state)
                .willReturn(xml(AsgXml.describeGroups(null, AsgXml.templateGroup(ASG, "m7g.large", 0, 5, desired,
                        Map.of("k8s.io/cluster-autoscaler/enabled", "true"))))));
    }

    /** Auto Scaling accepts the scale-up to 3 and starts launching. */
    private static void acceptsTheScaleUp(AwsWireMock aws) {
        describeIn(aws, STARTED, 0);
        aws.stub(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));
        aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("3"))
                .inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(xml(setDesiredCapacity())).willSetStateTo("Launching"));
        describeIn(aws, "Launching", 3);
    }

    private static Instant acceptedAt(AwsWireMock aws) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !aws.logged("SetDesiredCapacity").isEmpty());
        return aws.logged("SetDesiredCapacity").get(0).getLoggedDate().toInstant();
    }

    @Test
    void aScalingActivityThatFailsTwoSecondsAfterTheScaleUpSendsTheFlexiblePodsToAmd64AndPutsTheTargetBack()
            throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            acceptsTheScaleUp(aws);
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted("15m"), aws, cluster.newClient());
            harness.closeBatch();

            Instant accepted = acceptedAt(aws);
            aws.stub(action("DescribeScalingActivities").inScenario(SCENARIO).whenScenarioStateIs("Launching")
                    .willReturn(xml(describeScalingActivities(
                            AsgXml.launchActivity(ASG, "InProgress", null, accepted.toString())))));
            harness.awaitDecision("arm", Decision.REQUESTED, Duration.ofSeconds(10));
            // two seconds of launching on the controller's clock: its instance checks find it in progress
            harness.time.advance(Duration.ofSeconds(2));
            // the launch fails: the activity ends Failed, no instance ever joins the group
            describeIn(aws, "LaunchFailed", 3);
            aws.stub(action("DescribeScalingActivities").inScenario(SCENARIO).whenScenarioStateIs("LaunchFailed")
                    .willReturn(xml(describeScalingActivities(
                            AsgXml.launchActivity(ASG, "Failed", NO_CAPACITY, accepted.toString())))));
            aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("0"))
                    .inScenario(SCENARIO).whenScenarioStateIs("LaunchFailed")
                    .willReturn(xml(setDesiredCapacity())).willSetStateTo("Corrected"));
            describeIn(aws, "Corrected", 0);
            aws.server().setScenarioState(SCENARIO, "LaunchFailed");
            Instant visible = harness.time.clock().instant();
            harness.time.advance(LateFailureHarness.FAILURE_CHECK);

            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            // the next instance check saw it
            assertThat(harness.fallbackDelay("asg", visible, amd64)).isLessThanOrEqualTo(LateFailureHarness.FAILURE_CHECK);
            assertThat(amd64.to() - amd64.from()).isEqualTo(LateFailureHarness.PODS);

            await().atMost(Duration.ofSeconds(10)).until(() -> aws.requests("SetDesiredCapacity").size() == 2);
            assertThat(aws.requests("SetDesiredCapacity")).containsExactly(
                    Map.of("Action", "SetDesiredCapacity", "Version", "2011-01-01", "AutoScalingGroupName", ASG,
                            "DesiredCapacity", "3", "HonorCooldown", "false"),
                    Map.of("Action", "SetDesiredCapacity", "Version", "2011-01-01", "AutoScalingGroupName", ASG,
                            "DesiredCapacity", "0", "HonorCooldown", "false"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject arm = harness.status("arm");
                assertThat(arm.getInteger("inFlight")).isZero();
                assertThat(arm.getInteger("targetSize")).isZero();
                assertThat(arm.getJsonObject("backoff").getString("reason")).isEqualTo("InsufficientCapacity");
            });
            assertThat(harness.decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("InsufficientInstanceCapacity", "We currently do not have sufficient");
            });
            assertThat(harness.metrics.registry().find("archscaler_failed_scale_ups").tags("node_group", "arm",
                    "capacity_type", "on-demand", "reason", "InsufficientCapacity").counter().count()).isEqualTo(1.0);
            // the late failure marks the group's offering too, for scaleUp.offeringUnavailableFor (3m)
            JsonObject status = harness.statusDocument();
            assertThat(status.getJsonArray("offeringsUnavailable")).singleElement().satisfies(o -> {
                JsonObject offering = (JsonObject) o;
                assertThat(offering.getString("instanceType")).isEqualTo("m7g.large");
                assertThat(offering.getString("zone")).isNull();
                assertThat(offering.getString("capacityType")).isEqualTo("on-demand");
                assertThat(offering.getString("reason")).isEqualTo("InsufficientCapacity");
                assertThat(Instant.parse(offering.getString("until")))
                        .isEqualTo(harness.time.clock().instant().plus(Duration.ofMinutes(3)));
            });
            // both groups are on-demand: the cost split puts everything there
            assertThat(status.getJsonObject("costPerHourByCapacityType").getDouble("spot")).isZero();
            assertThat(status.getJsonObject("costPerHourByCapacityType").fieldNames())
                    .containsExactlyInAnyOrder("spot", "on-demand");
        }
    }

    @Test
    void nodesThatNeverComeHoldNoRoomAfterTheProvisionTimeoutAndTheTargetIsCorrected() throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            acceptsTheScaleUp(aws);
            // AWS keeps launching and never says anything; the correction is accepted but not yet visible
            aws.stub(action("SetDesiredCapacity").withFormParam("DesiredCapacity", equalTo("0"))
                    .inScenario(SCENARIO).whenScenarioStateIs("Launching").willReturn(xml(setDesiredCapacity())));
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted("3s"), aws, cluster.newClient());
            harness.closeBatch();
            Instant accepted = acceptedAt(aws);
            aws.stub(action("DescribeScalingActivities").inScenario(SCENARIO).whenScenarioStateIs("Launching")
                    .willReturn(xml(describeScalingActivities(
                            AsgXml.launchActivity(ASG, "InProgress", null, accepted.toString())))));
            Instant requested = harness.awaitDecision("arm", Decision.REQUESTED, Duration.ofSeconds(10)).time();
            harness.time.advance(Duration.ofSeconds(3));

            Decision timedOut = harness.awaitDecision("arm", Decision.FAILED, Duration.ofSeconds(10));
            assertThat(timedOut.error()).startsWith("NodeProvisionTimeout");
            // the clock moved by maxNodeProvisionTime once the scale-up was recorded: the next wake-up gave up
            assertThat(Duration.between(requested, timedOut.time())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));

            await().atMost(Duration.ofSeconds(10)).until(() -> aws.requests("SetDesiredCapacity").size() == 2);
            assertThat(aws.requests("SetDesiredCapacity").get(1)).isEqualTo(Map.of("Action", "SetDesiredCapacity",
                    "Version", "2011-01-01", "AutoScalingGroupName", ASG, "DesiredCapacity", "0",
                    "HonorCooldown", "false"));
            // the group still reports 3 wanted instances; none of them counts as room
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject arm = harness.status("arm");
                assertThat(arm.getInteger("targetSize")).isEqualTo(3);
                assertThat(arm.getInteger("inFlight")).isZero();
            });
            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            assertThat(amd64.to() - amd64.from()).isEqualTo(LateFailureHarness.PODS);
            assertThat(List.of(harness.status("arm").getInteger("inFlight"))).containsExactly(0);
        }
    }
}
