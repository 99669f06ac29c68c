package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.aws.AwsWireMock;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Auto Scaling Query-protocol answers as the service sends them: wrapped results, lists of {@code <member>}. */
public final class AsgXml {
    private AsgXml() {
    }

    public static String instance(String id, String zone, String state, String type) {
        return "<member><InstanceId>" + id + "</InstanceId><InstanceType>" + type + "</InstanceType>"
                + "<AvailabilityZone>" + zone + "</AvailabilityZone><LifecycleState>" + state + "</LifecycleState>"
                + "<HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>";
    }

    public static String tags(String group, Map<String, String> tags) {
        return "<Tags>" + tags.entrySet().stream()
                .map(t -> "<member><ResourceId>" + group + "</ResourceId><ResourceType>auto-scaling-group</ResourceType>"
                        + "<Key>" + t.getKey() + "</Key><Value>" + t.getValue() + "</Value>"
                        + "<PropagateAtLaunch>true</PropagateAtLaunch></member>")
                .collect(Collectors.joining()) + "</Tags>";
    }

    public static String mixedInstances(String launchTemplateId, String... instanceTypes) {
        return mixedInstances(launchTemplateId, null, instanceTypes);
    }

    /** A mixed instances policy buying {@code onDemandPercent}% on-demand above its base (null: AWS's default, 100). */
    public static String mixedInstances(String launchTemplateId, Integer onDemandPercent, String... instanceTypes) {
        return "<MixedInstancesPolicy><LaunchTemplate><LaunchTemplateSpecification><LaunchTemplateId>" + launchTemplateId
                + "</LaunchTemplateId><LaunchTemplateName>nodes</LaunchTemplateName><Version>$Default</Version>"
                + "</LaunchTemplateSpecification><Overrides>"
                + Arrays.stream(instanceTypes).map(t -> "<member><InstanceType>" + t + "</InstanceType></member>")
                        .collect(Collectors.joining())
                + "</Overrides></LaunchTemplate><InstancesDistribution><OnDemandAllocationStrategy>prioritized"
                + "</OnDemandAllocationStrategy><OnDemandBaseCapacity>0</OnDemandBaseCapacity>"
                + (onDemandPercent == null ? "" : "<OnDemandPercentageAboveBaseCapacity>" + onDemandPercent
                        + "</OnDemandPercentageAboveBaseCapacity><SpotAllocationStrategy>price-capacity-optimized"
                        + "</SpotAllocationStrategy>")
                + "</InstancesDistribution></MixedInstancesPolicy>";
    }

    public static String launchTemplate(String id, String name, String version) {
        return "<LaunchTemplate><LaunchTemplateId>" + id + "</LaunchTemplateId><LaunchTemplateName>" + name
                + "</LaunchTemplateName><Version>" + version + "</Version></LaunchTemplate>";
    }

    public static String launchConfiguration(String name) {
        return "<LaunchConfigurationName>" + name + "</LaunchConfigurationName>";
    }

    /** One group; {@code launch} is one of the launch snippets above, {@code instances} and {@code tags} as built above. */
    public static String group(String name, int min, int max, int desired, String launch, String instances,
                               String tags) {
        return "<member><AutoScalingGroupName>" + name + "</AutoScalingGroupName><AutoScalingGroupARN>"
                + "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:5a8e5e3c-4d1f-4b9e-9c1a-0123456789ab:"
                + "autoScalingGroupName/" + name + "</AutoScalingGroupARN>" + launch
                + "<MinSize>" + min + "</MinSize><MaxSize>" + max + "</MaxSize><DesiredCapacity>" + desired
                + "</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>us-west-2a"
                + "</member><member>us-west-2b</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType>"
                + "<HealthCheckGracePeriod>300</HealthCheckGracePeriod><Instances>" + instances + "</Instances>"
                + "<CreatedTime>2025-01-15T10:00:00.000Z</CreatedTime><VPCZoneIdentifier>subnet-0a,subnet-0b"
                + "</VPCZoneIdentifier>" + tags + "<TerminationPolicies><member>Default</member></TerminationPolicies>"
                + "<NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn></member>";
    }

    /** A group launching one instance type (a launch template's override), with no instances yet and these tags. */
    public static String templateGroup(String name, String instanceType, int min, int max, int desired,
                                       Map<String, String> tags) {
        return group(name, min, max, desired, mixedInstances("lt-0123456789abcdef0", instanceType), "", tags(name, tags));
    }

    public static String describeGroups(String nextToken, String... groups) {
        return "<DescribeAutoScalingGroupsResponse xmlns=\"" + AwsWireMock.AUTOSCALING_NS + "\">"
                + "<DescribeAutoScalingGroupsResult><AutoScalingGroups>" + String.join("", groups)
                + "</AutoScalingGroups>" + (nextToken == null ? "" : "<NextToken>" + nextToken + "</NextToken>")
                + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>"
                + "4f2b2b1c-6a3d-4b6e-8c1e-example</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>";
    }

    public static String setDesiredCapacity() {
        return "<SetDesiredCapacityResponse xmlns=\"" + AwsWireMock.AUTOSCALING_NS + "\"><ResponseMetadata>"
                + "<RequestId>9dbbbf87-6141-11e2-8b5a-example</RequestId></ResponseMetadata></SetDesiredCapacityResponse>";
    }

    public static String terminateInstance(String group, String instanceId) {
        return "<TerminateInstanceInAutoScalingGroupResponse xmlns=\"" + AwsWireMock.AUTOSCALING_NS + "\">"
                + "<TerminateInstanceInAutoScalingGroupResult><Activity><ActivityId>cczc44a87-7d04-dd8e-e5ba-example"
                + "</ActivityId><AutoScalingGroupName>" + group + "</AutoScalingGroupName><Description>Terminating EC2"
                + " instance: " + instanceId + "</Description><Cause>At 2025-01-15T10:00:00Z instance " + instanceId
                + " was taken out of service in response to a user request, shrinking the capacity from 3 to 2."
                + "</Cause><StartTime>2025-01-15T10:00:00.000Z</StartTime><StatusCode>InProgress</StatusCode>"
                + "<Progress>0</Progress><Details>{}</Details></Activity></TerminateInstanceInAutoScalingGroupResult>"
                + "<ResponseMetadata><RequestId>5e3c7f2a-example</RequestId></ResponseMetadata>"
                + "</TerminateInstanceInAutoScalingGroupResponse>";
    }

    public static String describeLaunchConfigurations(String name, String instanceType) {
        return "<DescribeLaunchConfigurationsResponse xmlns=\"" + AwsWireMock.AUTOSCALING_NS + "\">"
                + "<DescribeLaunchConfigurationsResult><LaunchConfigurations><member><LaunchConfigurationName>" + name
                + "</LaunchConfigurationName><ImageId>ami-0abcdef1234567890</ImageId><InstanceType>" + instanceType
                + "</InstanceType><CreatedTime>2025-01-15T10:00:00.000Z</CreatedTime><SecurityGroups/>"
                + "<BlockDeviceMappings/><InstanceMonitoring><Enabled>true</Enabled></InstanceMonitoring></member>"
                + "</LaunchConfigurations></DescribeLaunchConfigurationsResult><ResponseMetadata><RequestId>"
                + "d05a22f8-b690-11e2-bf8e-example</RequestId></ResponseMetadata></DescribeLaunchConfigurationsResponse>";
    }

    /**
     * A DescribeScalingActivities answer (newest first, as Auto Scaling sends them) with these
     * {@link #launchActivity} members.
     */
    public static String describeScalingActivities(String... activities) {
        return "<DescribeScalingActivitiesResponse xmlns=\"" + AwsWireMock.AUTOSCALING_NS + "\">"
                + "<DescribeScalingActivitiesResult><Activities>" + String.join("", activities) + "</Activities>"
                + "</DescribeScalingActivitiesResult><ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-example"
                + "</RequestId></ResponseMetadata></DescribeScalingActivitiesResponse>";
    }

    /**
     * One "Launching a new EC2 instance" activity as Auto Scaling records it; a {@code Failed} one
     * carries EC2's reason in its status message and description.
     */
    public static String launchActivity(String group, String statusCode, String statusMessage, String startTime) {
        boolean failed = "Failed".equals(statusCode) || "Cancelled".equals(statusCode);
        return "<member><ActivityId>f9f2d65b-f1f2-43e7-b46d-example</ActivityId><AutoScalingGroupName>" + group
                + "</AutoScalingGroupName><Description>Launching a new EC2 instance"
                + (failed ? ".  Status Reason: " + statusMessage : ": i-0f5a1c2d3e4b5a6f7") + "</Description>"
                + "<Cause>At " + startTime + " a user request update of AutoScalingGroup constraints to min: 0, max: 20,"
                + " desired: 5 changing the desired capacity from 3 to 5.  At " + startTime + " an instance was started"
                + " in response to a difference between desired and actual capacity, increasing the capacity from 3"
                + " to 5.</Cause><StartTime>" + startTime + "</StartTime>" + (failed ? "<EndTime>" + startTime
                + "</EndTime>" : "") + "<StatusCode>" + statusCode + "</StatusCode>"
                + (statusMessage == null ? "" : "<StatusMessage>" + statusMessage + "</StatusMessage>")
                + "<Progress>" + (failed ? 100 : 30) + "</Progress><Details>{&quot;Subnet ID&quot;:&quot;"
                + "subnet-0a1b2c3d&quot;,&quot;Availability Zone&quot;:&quot;us-west-2a&quot;}</Details>"
                + "<AutoScalingGroupARN>arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:"
                + "5a8e5e3c-4d1f-4b9e-9c1a-0123456789ab:autoScalingGroupName/" + group + "</AutoScalingGroupARN>"
                + "</member>";
    }
}
