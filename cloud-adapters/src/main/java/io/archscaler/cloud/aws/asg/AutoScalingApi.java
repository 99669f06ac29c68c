package io.archscaler.cloud.aws.asg;

import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The Auto Scaling calls Archscaler makes, and nothing more, so providers hold no SDK plumbing
 * (as Cluster Autoscaler's {@code aws_wrapper.go}). Listing calls follow every page.
 */
public interface AutoScalingApi {

    /** The groups that carry every one of these tag keys. */
    CompletionStage<List<AutoScalingGroup>> groupsWithTagKeys(List<String> tagKeys);

    /** The named groups that exist; a name that does not is left out. */
    CompletionStage<List<AutoScalingGroup>> groupsNamed(Collection<String> names);

    /** Sets the desired capacity at once, without waiting for the group's cooldown. */
    CompletionStage<Void> setDesiredCapacity(String group, int desiredCapacity);

    /** The group's latest scaling activities, newest first (one page, no more than {@code max}). */
    CompletionStage<List<Activity>> recentActivities(String group, int max);

    /** Terminates one instance and lowers its group's desired capacity by one. */
    CompletionStage<Void> terminateInstanceAndDecrement(String instanceId);

    /** The instance type of a launch configuration, if it exists. */
    CompletionStage<Optional<String>> launchConfigurationInstanceType(String launchConfigurationName);
}
