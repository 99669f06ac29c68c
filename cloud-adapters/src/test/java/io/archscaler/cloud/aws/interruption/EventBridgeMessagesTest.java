package io.archscaler.cloud.aws.interruption;

import io.archscaler.scaler.interruption.InterruptionKind;
import io.archscaler.scaler.interruption.InterruptionNotice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The event shapes are those AWS documents for EventBridge (EC2 and AWS Health events), sent as the SQS body. */
class EventBridgeMessagesTest {
    private static final Instant TIME = Instant.parse("2026-11-22T10:00:00Z");

    static String ec2Event(String detailType, String detail) {
        return """
                {"version": "0", "id": "1e5527d7-bb36-4607-3370-4164db56a40e", "detail-type": "%s",
                 "source": "aws.ec2", "account": "123456789012", "time": "2026-11-22T10:00:00Z",
                 "region": "us-west-2", "resources": ["arn:aws:ec2:us-west-2a:instance/i-0b662ef9931388ba0"],
                 "detail": %s}""".formatted(detailType, detail);
    }

    @Test
    void readsASpotInterruptionWarning() {
        InterruptionNotice n = EventBridgeMessages.parse("m-1", ec2Event("EC2 Spot Instance Interruption Warning",
                "{\"instance-id\": \"i-0b662ef9931388ba0\", \"instance-action\": \"terminate\"}"));

        assertThat(n).isEqualTo(new InterruptionNotice("1e5527d7-bb36-4607-3370-4164db56a40e",
                InterruptionKind.SPOT_INTERRUPTION, List.of("i-0b662ef9931388ba0"), TIME, "terminate"));
    }

    @Test
    void readsARebalanceRecommendation() {
        InterruptionNotice n = EventBridgeMessages.parse("m-1", ec2Event("EC2 Instance Rebalance Recommendation",
                "{\"instance-id\": \"i-0b662ef9931388ba0\"}"));

        assertThat(n.kind()).isEqualTo(InterruptionKind.REBALANCE_RECOMMENDATION);
        assertThat(n.instanceIds()).containsExactly("i-0b662ef9931388ba0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stopping", "stopped", "shutting-down", "terminated"})
    void readsAStateChangeToAGoneState(String state) {
        InterruptionNotice n = EventBridgeMessages.parse("m-1", ec2Event("EC2 Instance State-change Notification",
                "{\"instance-id\": \"i-0b662ef9931388ba0\", \"state\": \"" + state + "\"}"));

        assertThat(n.kind()).isEqualTo(InterruptionKind.STATE_CHANGE);
        assertThat(n.detail()).isEqualTo(state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "running"})
    void aStateChangeToALiveStateIsOther(String state) {
        InterruptionNotice n = EventBridgeMessages.parse("m-1", ec2Event("EC2 Instance State-change Notification",
                "{\"instance-id\": \"i-0b662ef9931388ba0\", \"state\": \"" + state + "\"}"));

        assertThat(n.kind()).isEqualTo(InterruptionKind.OTHER);
    }

    @Test
    void readsTheInstancesOfAnEc2ScheduledChange() {
        String body = """
                {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "AWS Health Event",
                 "source": "aws.health", "account": "123456789012", "time": "2026-11-22T10:00:00Z",
                 "region": "us-west-2", "resources": [],
                 "detail": {"eventArn": "arn:aws:health:us-west-2::event/EC2/EC2_INSTANCE_RETIREMENT_SCHEDULED/x",
                   "service": "EC2", "eventTypeCode": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                   "eventTypeCategory": "scheduledChange", "startTime": "Mon, 30 Nov 2026 10:00:00 GMT",
                   "eventDescription": [{"language": "en_US", "latestDescription": "retiring"}],
                   "affectedEntities": [{"entityValue": "i-0b662ef9931388ba0"}, {"entityValue": "vol-0123456789abcdef0"},
                                        {"entityValue": "i-01234567890abcdef"}]}}""";

        InterruptionNotice n = EventBridgeMessages.parse("m-1", body);

        assertThat(n.kind()).isEqualTo(InterruptionKind.SCHEDULED_CHANGE);
        assertThat(n.instanceIds()).containsExactly("i-0b662ef9931388ba0", "i-01234567890abcdef");
        assertThat(n.detail()).isEqualTo("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED");
    }

    @Test
    void aHealthEventOfAnotherServiceIsOther() {
        String body = """
                {"id": "x", "detail-type": "AWS Health Event", "source": "aws.health", "time": "2026-11-22T10:00:00Z",
                 "detail": {"service": "RDS", "eventTypeCategory": "scheduledChange", "affectedEntities": []}}""";

        assertThat(EventBridgeMessages.parse("m-1", body).kind()).isEqualTo(InterruptionKind.OTHER);
    }

    @Test
    void anotherEventIsOther() {
        assertThat(EventBridgeMessages.parse("m-1", ec2Event("EC2 AMI State Change", "{\"State\": \"available\"}")).kind())
                .isEqualTo(InterruptionKind.OTHER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1, 2]", "{}", "{\"source\": \"aws.ec2\"}",
            "{\"source\": \"aws.ec2\", \"detail-type\": \"EC2 Spot Instance Interruption Warning\", \"time\": \"soon\", \"detail\": {}}",
            "{\"source\": \"aws.ec2\", \"detail-type\": \"EC2 Spot Instance Interruption Warning\", \"time\": \"2026-11-22T10:00:00Z\"}",
            "{\"source\": \"aws.ec2\", \"detail-type\": \"EC2 Spot Instance Interruption Warning\", \"time\": \"2026-11-22T10:00:00Z\", \"detail\": {\"instance-id\": \"web-1\"}}"})
    void whatCannotBeReadIsMalformedWithWhy(String body) {
        InterruptionNotice n = EventBridgeMessages.parse("m-1", body);

        assertThat(n.kind()).isEqualTo(InterruptionKind.MALFORMED);
        assertThat(n.id()).isEqualTo("m-1");
        assertThat(n.detail()).isNotBlank();
    }
}
