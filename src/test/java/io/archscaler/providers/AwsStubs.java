package io.archscaler.providers;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock server on a free loopback port answering as EKS (REST-JSON), EC2 and Auto Scaling
 * (Query protocol: form POSTs to {@code /}, XML answers), in the services' own wire formats, with
 * fake static credentials for the SDK. Point {@code aws.endpoints} at {@link #url()}.
 */
public final class AwsStubs implements AutoCloseable {
    public static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String AUTOSCALING_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    /** Credentials that exist only in the test JVM; the stub does not check signatures. */
    public static final AwsCredentialsProvider FAKE_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake-secret-for-tests"));

    private final WireMockServer server;

    public AwsStubs() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    public WireMockServer server() {
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** An {@code aws:} config block sending every service here. */
    public String awsBlock() {
        return "aws:\n  region: us-west-2\n  endpoints: {eks: \"" + url() + "\", ec2: \"" + url()
                + "\", autoscaling: \"" + url() + "\"}\n";
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    // ---- EKS (REST-JSON)

    public static String listNodegroups(String... names) {
        return "{\"nodegroups\":[" + Arrays.stream(names).map(n -> "\"" + n + "\"").collect(Collectors.joining(","))
                + "]}";
    }

    /** A DescribeNodegroup answer; {@code labels} and {@code taints} are JSON fragments. */
    public static String nodegroup(String cluster, String name, String amiType, String instanceType, String labels,
                                   String taints, int min, int max, int desired) {
        return "{\"nodegroup\":{\"nodegroupName\":\"" + name + "\",\"nodegroupArn\":\"arn:aws:eks:us-west-2:"
                + "123456789012:nodegroup/" + cluster + "/" + name + "/0ec9a4e2-1b2c-4d5e-8f9a-0123456789ab\","
                + "\"clusterName\":\"" + cluster + "\",\"version\":\"1.31\",\"releaseVersion\":\"1.31.4-20250115\","
                + "\"createdAt\":1736935200.0,\"modifiedAt\":1736938800.0,\"status\":\"ACTIVE\","
                + "\"capacityType\":\"ON_DEMAND\",\"scalingConfig\":{\"minSize\":" + min + ",\"maxSize\":" + max
                + ",\"desiredSize\":" + desired + "},\"instanceTypes\":[\"" + instanceType + "\"],"
                + "\"subnets\":[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"],\"amiType\":\"" + amiType + "\","
                + "\"nodeRole\":\"arn:aws:iam::123456789012:role/eks-node\",\"labels\":" + labels + ",\"taints\":"
                + taints + ",\"diskSize\":20,\"resources\":{\"autoScalingGroups\":[{\"name\":\"eks-" + name
                + "-0ec9a4e2\"}]},\"health\":{\"issues\":[]},\"updateConfig\":{\"maxUnavailable\":1},\"tags\":{}}}";
    }

    public static String nodegroupUpdate(int desired) {
        return "{\"update\":{\"id\":\"3f2f2b5e-0f6b-3c7d-9a8b-0123456789ab\",\"status\":\"InProgress\","
                + "\"type\":\"ConfigUpdate\",\"params\":[{\"type\":\"DesiredSize\",\"value\":\"" + desired + "\"}],"
                + "\"createdAt\":1736938800.0,\"errors\":[]}}";
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** An EKS error: the code in {@code x-amzn-ErrorType}, the message in the body, as EKS sends them. */
    public static ResponseDefinitionBuilder eksError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.eks/")
                .withBody("{\"message\":\"" + message + "\"}");
    }

    /** The EKS requests that reached the server on this path, oldest first. */
    public List<LoggedRequest> eksGets(String path) {
        return sorted(server.findAll(getRequestedFor(urlPathEqualTo(path))));
    }

    public List<LoggedRequest> eksPosts(String path) {
        return sorted(server.findAll(postRequestedFor(urlPathEqualTo(path))));
    }

    // ---- EC2 and Auto Scaling (Query protocol)

    /** A stub for one Query-protocol action. */
    public static MappingBuilder action(String action) {
        return post(urlEqualTo("/")).withFormParam("Action", equalTo(action));
    }

    public static ResponseDefinitionBuilder xml(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body);
    }

    public static ResponseDefinitionBuilder ec2Error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                        + message + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID>"
                        + "</Response>");
    }

    public static String describeInstances() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"" + EC2_NS
                + "\"><requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet/>"
                + "</DescribeInstancesResponse>";
    }

    /** An instant fleet that launched nothing, with one error of this code, as EC2 answers a capacity shortage. */
    public static String createFleetFailed(String launchTemplateId, String instanceType, String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateFleetResponse xmlns=\"" + EC2_NS
                + "\"><requestId>b3f1d2c8-2f0e-4d5f-8c3b-example</requestId><fleetId>fleet-0e7a7b3c-1b2a-4c5d-9e8f-"
                + "0123456789ab</fleetId><errorSet><item><launchTemplateAndOverrides><launchTemplateSpecification>"
                + "<launchTemplateId>" + launchTemplateId + "</launchTemplateId><version>$Default</version>"
                + "</launchTemplateSpecification><overrides><instanceType>" + instanceType + "</instanceType>"
                + "</overrides></launchTemplateAndOverrides><lifecycle>on-demand</lifecycle><errorCode>" + code
                + "</errorCode><errorMessage>" + message + "</errorMessage></item></errorSet><fleetInstanceSet/>"
                + "</CreateFleetResponse>";
    }

    /** One Auto Scaling group with a launch template, its instance type given by an override. */
    public static String autoScalingGroup(String name, String instanceType, int min, int max, int desired,
                                          Map<String, String> tags) {
        String tagXml = tags.entrySet().stream()
                .map(t -> "<member><ResourceId>" + name + "</ResourceId><ResourceType>auto-scaling-group</ResourceType>"
                        + "<Key>" + t.getKey() + "</Key><Value>" + t.getValue() + "</Value>"
                        + "<PropagateAtLaunch>true</PropagateAtLaunch></member>")
                .collect(Collectors.joining());
        return "<member><AutoScalingGroupName>" + name + "</AutoScalingGroupName><AutoScalingGroupARN>"
                + "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:5a8e5e3c-4d1f-4b9e-9c1a-0123456789ab:"
                + "autoScalingGroupName/" + name + "</AutoScalingGroupARN><MixedInstancesPolicy><LaunchTemplate>"
                + "<LaunchTemplateSpecification><LaunchTemplateId>lt-0123456789abcdef0</LaunchTemplateId>"
                + "<LaunchTemplateName>nodes</LaunchTemplateName><Version>$Default</Version>"
                + "</LaunchTemplateSpecification><Overrides><member><InstanceType>" + instanceType
                + "</InstanceType></member></Overrides></LaunchTemplate></MixedInstancesPolicy>"
                + "<MinSize>" + min + "</MinSize><MaxSize>" + max + "</MaxSize><DesiredCapacity>" + desired
                + "</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>us-west-2a"
                + "</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType><Instances/>"
                + "<CreatedTime>2025-01-15T10:00:00.000Z</CreatedTime><Tags>" + tagXml + "</Tags></member>";
    }

    public static String describeAutoScalingGroups(String... groups) {
        return "<DescribeAutoScalingGroupsResponse xmlns=\"" + AUTOSCALING_NS + "\"><DescribeAutoScalingGroupsResult>"
                + "<AutoScalingGroups>" + String.join("", groups) + "</AutoScalingGroups>"
                + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>4f2b2b1c-6a3d-4b6e-8c1e-example"
                + "</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>";
    }

    /** A SetDesiredCapacity answer: Auto Scaling accepts the new size and says nothing more. */
    public static String setDesiredCapacity() {
        return "<SetDesiredCapacityResponse xmlns=\"" + AUTOSCALING_NS + "\"><ResponseMetadata><RequestId>"
                + "9dbbbf87-6141-11e2-8b5a-example</RequestId></ResponseMetadata></SetDesiredCapacityResponse>";
    }

    /** A DescribeScalingActivities answer with these {@link #launchActivity} members, newest first. */
    public static String describeScalingActivities(String... activities) {
        return "<DescribeScalingActivitiesResponse xmlns=\"" + AUTOSCALING_NS + "\"><DescribeScalingActivitiesResult>"
                + "<Activities>" + String.join("", activities) + "</Activities></DescribeScalingActivitiesResult>"
                + "<ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-example</RequestId></ResponseMetadata>"
                + "</DescribeScalingActivitiesResponse>";
    }

    /**
     * A "Launching a new EC2 instance" activity as Auto Scaling records it after a desired capacity
     * change; a {@code Failed} one carries EC2's reason in its status message and description.
     */
    public static String launchActivity(String group, String statusCode, String statusMessage, Instant start,
                                        int from, int to) {
        boolean failed = "Failed".equals(statusCode) || "Cancelled".equals(statusCode);
        return "<member><ActivityId>f9f2d65b-f1f2-43e7-b46d-example</ActivityId><AutoScalingGroupName>" + group
                + "</AutoScalingGroupName><Description>Launching a new EC2 instance"
                + (failed ? ".  Status Reason: " + statusMessage : ": i-0f5a1c2d3e4b5a6f7") + "</Description>"
                + "<Cause>At " + start + " a user request update of AutoScalingGroup constraints to min: 0, max: 5,"
                + " desired: " + to + " changing the desired capacity from " + from + " to " + to + ".  At " + start
                + " an instance was started in response to a difference between desired and actual capacity,"
                + " increasing the capacity from " + from + " to " + to + ".</Cause><StartTime>" + start
                + "</StartTime>" + (failed ? "<EndTime>" + start.plusSeconds(1) + "</EndTime>" : "")
                + "<StatusCode>" + statusCode + "</StatusCode>"
                + (failed ? "<StatusMessage>" + statusMessage + "</StatusMessage>" : "")
                + "<Progress>" + (failed ? 100 : 30) + "</Progress><Details>{&quot;Subnet ID&quot;:&quot;"
                + "subnet-0a1b2c3d&quot;,&quot;Availability Zone&quot;:&quot;us-west-2a&quot;}</Details>"
                + "<AutoScalingGroupARN>arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:"
                + "5a8e5e3c-4d1f-4b9e-9c1a-0123456789ab:autoScalingGroupName/" + group + "</AutoScalingGroupARN>"
                + "</member>";
    }

    /** The form parameters of every Query request for {@code action}, oldest first. */
    public List<Map<String, String>> requests(String action) {
        return logged(action).stream().map(r -> form(r.getBodyAsString())).toList();
    }

    /** Every Query request for {@code action} as WireMock logged it (with when it came), oldest first. */
    public List<LoggedRequest> logged(String action) {
        return sorted(server.findAll(postRequestedFor(urlEqualTo("/")).withFormParam("Action", equalTo(action))));
    }

    public static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static List<LoggedRequest> sorted(List<LoggedRequest> requests) {
        return requests.stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
