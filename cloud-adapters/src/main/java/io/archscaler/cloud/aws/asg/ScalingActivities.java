package io.archscaler.cloud.aws.asg;

import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.LaunchErrors;
import software.amazon.awssdk.services.autoscaling.model.Activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an Auto Scaling group failed to launch the instances it was last asked for, read from
 * {@code DescribeScalingActivities} as the Cluster Autoscaler's early abort does: the group's
 * newest launch activity since its last scale-up by this process decides; {@code Failed} or
 * {@code Cancelled} is a failure whose {@code StatusMessage} says why. A group this process never
 * scaled (a new leader) is judged by its newest launch activity.
 */
public final class ScalingActivities {
    /** How far AWS's clock may be behind ours when an activity is matched to our scale-up. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    private static final int PAGE = 10;
    private static final String OPERATION = "DescribeScalingActivities";

    private final AutoScalingApi api;
    private final String provider;
    private final Clock clock;
    private final Map<String, Instant> scaledUpAt = new ConcurrentHashMap<>();

    public ScalingActivities(AutoScalingApi api, String provider, Clock clock) {
        this.api = api;
        this.provider = provider;
        this.clock = clock;
    }

    /** The group was just asked for more instances. */
    public void scaledUp(String autoScalingGroup) {
        scaledUpAt.put(autoScalingGroup, clock.instant());
    }

    /** The group's newest launch activity since its last scale-up (or at all), or empty when there is none. */
    public CompletionStage<Optional<Activity>> latestLaunch(String autoScalingGroup, String nodeGroup) {
        return AwsErrors.guard(provider, OPERATION, nodeGroup, api.recentActivities(autoScalingGroup, PAGE))
                .thenApply(activities -> latestLaunch(activities, scaledUpAt.get(autoScalingGroup)));
    }

    /** @param since when this process last scaled the group up, or null when it has not */
    static Optional<Activity> latestLaunch(List<Activity> activities, Instant since) {
        Instant from = since == null ? Instant.MIN : since.minus(CLOCK_SKEW);
        return activities.stream()
                .filter(ScalingActivities::isLaunch)
                .filter(a -> a.startTime() == null || !a.startTime().isBefore(from))
                .max(Comparator.comparing(a -> a.startTime() == null ? Instant.MIN : a.startTime()));
    }

    /** Why a launch activity failed, or empty when it did not (it succeeded or is still going). */
    public static Optional<InstanceError> failure(Activity activity) {
        String status = activity.statusCodeAsString();
        if ("Failed".equals(status) || "Cancelled".equals(status)) {
            return Optional.of(LaunchErrors.fromStatusMessage(activity.statusMessage()));
        }
        return Optional.empty();
    }

    /** "Launching a new EC2 instance…", not "Terminating EC2 instance…". */
    private static boolean isLaunch(Activity a) {
        String d = a.description();
        return d == null || d.toLowerCase(Locale.ROOT).startsWith("launching");
    }
}
