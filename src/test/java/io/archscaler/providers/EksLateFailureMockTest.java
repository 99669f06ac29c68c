package io.archscaler.providers;

import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.asg.AsgXml;
import io.archscaler.cloud.aws.eks.EksJson;
import io.archscaler.events.Decision;
import io.archscaler.testing.SandboxCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.asg.AsgXml.describeScalingActivities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller against an EKS managed node group that behaves as EKS does: it accepts
 * {@code UpdateNodegroupConfig}, and about 2 s later its Auto Scaling group's launch activity
 * ends {@code Failed} and the node group shows the {@code AsgInstanceLaunchFailures} health issue,
 * while no instance ever appears. The flexible pods go to amd64 within seconds and
 * {@code desiredSize} is put back.
 */
class EksLateFailureMockTest {
    private static final String NG = "/clusters/prod/node-groups/arm-ng";
    private static final String ASG = "eks-arm-ng-0ec9a4e2";
    private static final String SCENARIO = "arm-ng";
    private static final String NO_CAPACITY = "We currently do not have sufficient m7g.large capacity in the"
            + " Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional"
            + " capacity. You can currently get m7g.large capacity by not specifying an Availability Zone in your"
            + " request or choosing us-west-2b, us-west-2c. Launching EC2 instance failed.";
    /** EKS's health issue for the same failure: its code, EC2's error code and message, the group it hit. */
    private static final String LAUNCH_FAILURES = "{\"code\":\"AsgInstanceLaunchFailures\",\"message\":\"Could not"
            + " launch On-Demand Instances. InsufficientInstanceCapacity - " + NO_CAPACITY + "\",\"resourceIds\":[\""
            + ASG + "\"]}";
    private static final String CONFIG = """
            cluster: prod
            nodeGroups:
              - name: arm
                provider: eks
                instanceType: m7g.large
                maxSize: 5
                eks: {nodegroupName: arm-ng}
              - name: x86
                provider: simulated
                instanceType: m6i.large
                maxSize: 5
                simulated: {registrationDelay: 300ms}
            scaleUp: {batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: %s, backoffInitial: 5m}
            leaderElection: {enabled: false}
            images: {resolve: false}
            """;

    /** The node group and its Auto Scaling group at a state of the scenario: desired size, never an instance. */
    private static void describeIn(AwsWireMock aws, String state, int desired, String issues) {
        aws.stub(get(urlPathEqualTo(NG)).inScenario(SCENARIO).whenScenarioStateIs(state)
                .willReturn(json(EksJson.activeNodegroup("arm-ng", "AL2023_ARM_64_STANDARD", "m7g.large")
                        .sizes(0, 5, desired).healthIssues("[" + issues + "]").json())));
        aws.stub(action("DescribeAutoScalingGroups").inScenario(SCENARIO).whenScenarioStateIs(state)
                .willReturn(xml(AsgXml.describeGroups(null, AsgXml.templateGroup(ASG, "m7g.large", 0, 5, desired,
                        Map.of("eks:nodegroup-name", "arm-ng", "eks:cluster-name", "prod"))))));
    }

    /** The body UpdateNodegroupConfig is sent with for a desired size. */
    private static String scalingTo(int desired) {
        return "{\"clientRequestToken\":\"${json-unit.any-string}\","
                + "\"scalingConfig\":{\"minSize\":0,\"maxSize\":5,\"desiredSize\":" + desired + "}}";
    }

    /** EKS accepts the update to 3 and the Auto Scaling group starts launching. */
    private static void acceptsTheScaleUp(AwsWireMock aws) {
        describeIn(aws, STARTED, 0, "");
        aws.stub(action("DescribeScalingActivities").willReturn(xml(describeScalingActivities())));
        aws.stub(post(urlPathEqualTo(NG + "/update-config")).withRequestBody(equalToJson(scalingTo(3)))
                .inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(json(EksJson.update(3))).willSetStateTo("Launching"));
        describeIn(aws, "Launching", 3, "");
    }

    private static Instant acceptedAt(AwsWireMock aws) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !aws.eksPosts(NG + "/update-config").isEmpty());
        Instant accepted = aws.eksPosts(NG + "/update-config").get(0).getLoggedDate().toInstant();
        aws.stub(action("DescribeScalingActivities").inScenario(SCENARIO).whenScenarioStateIs("Launching")
                .willReturn(xml(describeScalingActivities(
                        AsgXml.launchActivity(ASG, "InProgress", null, accepted.toString())))));
        return accepted;
    }

    @Test
    void aLaunchThatFailsTwoSecondsAfterTheUpdateSendsTheFlexiblePodsToAmd64AndPutsDesiredSizeBack()
            throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            acceptsTheScaleUp(aws);
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted("15m"), aws, cluster.newClient());
            harness.closeBatch();

            Instant accepted = acceptedAt(aws);
            harness.awaitDecision("arm", Decision.REQUESTED, Duration.ofSeconds(10));
            // two seconds of launching on the controller's clock: its instance checks find it in progress
            harness.time.advance(Duration.ofSeconds(2));
            describeIn(aws, "LaunchFailed", 3, LAUNCH_FAILURES);
            aws.stub(action("DescribeScalingActivities").inScenario(SCENARIO).whenScenarioStateIs("LaunchFailed")
                    .willReturn(xml(describeScalingActivities(
                            AsgXml.launchActivity(ASG, "Failed", NO_CAPACITY, accepted.toString())))));
            aws.stub(post(urlPathEqualTo(NG + "/update-config")).withRequestBody(equalToJson(scalingTo(0)))
                    .inScenario(SCENARIO).whenScenarioStateIs("LaunchFailed")
                    .willReturn(json(EksJson.update(0))).willSetStateTo("Corrected"));
            describeIn(aws, "Corrected", 0, LAUNCH_FAILURES);
            aws.server().setScenarioState(SCENARIO, "LaunchFailed");
            Instant visible = harness.time.clock().instant();
            harness.time.advance(LateFailureHarness.FAILURE_CHECK);

            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            // the next instance check saw it
            assertThat(harness.fallbackDelay("eks", visible, amd64)).isLessThanOrEqualTo(LateFailureHarness.FAILURE_CHECK);
            assertThat(amd64.to() - amd64.from()).isEqualTo(LateFailureHarness.PODS);

            await().atMost(Duration.ofSeconds(10)).until(() -> aws.eksPosts(NG + "/update-config").size() == 2);
            assertThat(aws.eksPosts(NG + "/update-config")).satisfiesExactly(
                    up -> assertThat(equalToJson(scalingTo(3)).match(up.getBodyAsString()).isExactMatch()).isTrue(),
                    back -> assertThat(equalToJson(scalingTo(0)).match(back.getBodyAsString()).isExactMatch())
                            .isTrue());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject arm = harness.status("arm");
                assertThat(arm.getInteger("inFlight")).isZero();
                assertThat(arm.getInteger("targetSize")).isZero();
                assertThat(arm.getJsonObject("backoff").getString("reason")).isEqualTo("InsufficientCapacity");
            });
            assertThat(harness.decisions).anySatisfy(d -> {
                assertThat(d.nodeGroup()).isEqualTo("arm");
                assertThat(d.outcome()).isEqualTo(Decision.FAILED);
                assertThat(d.error()).contains("InsufficientInstanceCapacity");
            });
        }
    }

    @Test
    void nodesThatNeverComeHoldNoRoomAfterTheProvisionTimeoutAndDesiredSizeIsCorrected() throws Exception {
        try (AwsWireMock aws = AwsWireMock.start(); SandboxCluster cluster = new SandboxCluster();
             LateFailureHarness harness = new LateFailureHarness(cluster.client())) {
            acceptsTheScaleUp(aws);
            // EKS accepts the correction; the node group still reports 3 for a while
            aws.stub(post(urlPathEqualTo(NG + "/update-config")).withRequestBody(equalToJson(scalingTo(0)))
                    .inScenario(SCENARIO).whenScenarioStateIs("Launching").willReturn(json(EksJson.update(0))));
            harness.createFlexiblePods("web");
            harness.start(CONFIG.formatted("3s"), aws, cluster.newClient());
            harness.closeBatch();
            acceptedAt(aws);
            Instant requested = harness.awaitDecision("arm", Decision.REQUESTED, Duration.ofSeconds(10)).time();
            harness.time.advance(Duration.ofSeconds(3));

            Decision timedOut = harness.awaitDecision("arm", Decision.FAILED, Duration.ofSeconds(10));
            assertThat(timedOut.error()).startsWith("NodeProvisionTimeout");
            // the clock moved by maxNodeProvisionTime once the scale-up was recorded: the next wake-up gave up
            assertThat(Duration.between(requested, timedOut.time())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));

            await().atMost(Duration.ofSeconds(10)).until(() -> aws.eksPosts(NG + "/update-config").size() == 2);
            assertThat(equalToJson(scalingTo(0)).match(aws.eksPosts(NG + "/update-config").get(1).getBodyAsString())
                    .isExactMatch()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject arm = harness.status("arm");
                assertThat(arm.getInteger("targetSize")).isEqualTo(3);
                assertThat(arm.getInteger("inFlight")).isZero();
            });
            Decision amd64 = harness.awaitDecision("x86", Decision.REQUESTED, Duration.ofSeconds(10));
            assertThat(amd64.to() - amd64.from()).isEqualTo(LateFailureHarness.PODS);
        }
    }
}
