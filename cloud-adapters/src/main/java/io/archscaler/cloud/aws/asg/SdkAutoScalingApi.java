package io.archscaler.cloud.aws.asg;

import software.amazon.awssdk.services.autoscaling.AutoScalingAsyncClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.LaunchConfiguration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link AutoScalingApi} over the SDK's {@link AutoScalingAsyncClient}. */
public final class SdkAutoScalingApi implements AutoScalingApi {
    /** The most names and records one DescribeAutoScalingGroups call takes. */
    private static final int PAGE = 100;
    private final AutoScalingAsyncClient client;

    public SdkAutoScalingApi(AutoScalingAsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<List<AutoScalingGroup>> groupsWithTagKeys(List<String> tagKeys) {
        // Separate filters are ANDed; values within one filter would be ORed.
        List<Filter> filters = tagKeys.stream()
                .map(key -> Filter.builder().name("tag-key").values(key).build())
                .toList();
        return describe(DescribeAutoScalingGroupsRequest.builder().filters(filters).maxRecords(PAGE).build(),
                new ArrayList<>());
    }

    @Override
    public CompletionStage<List<AutoScalingGroup>> groupsNamed(Collection<String> names) {
        List<String> all = List.copyOf(names);
        CompletionStage<List<AutoScalingGroup>> result = CompletableFuture.completedFuture(new ArrayList<>());
        for (int from = 0; from < all.size(); from += PAGE) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PAGE));
            result = result.thenCompose(acc -> describe(DescribeAutoScalingGroupsRequest.builder()
                    .autoScalingGroupNames(chunk).maxRecords(PAGE).build(), acc));
        }
        return result;
    }

    private CompletionStage<List<AutoScalingGroup>> describe(DescribeAutoScalingGroupsRequest request,
                                                             List<AutoScalingGroup> acc) {
        return client.describeAutoScalingGroups(request).thenCompose(page -> {
            acc.addAll(page.autoScalingGroups());
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(acc);
            }
            return describe(request.toBuilder().nextToken(next).build(), acc);
        });
    }

    @Override
    public CompletionStage<Void> setDesiredCapacity(String group, int desiredCapacity) {
        return client.setDesiredCapacity(b -> b.autoScalingGroupName(group).desiredCapacity(desiredCapacity)
                .honorCooldown(false)).thenApply(r -> null);
    }

    @Override
    public CompletionStage<List<Activity>> recentActivities(String group, int max) {
        return client.describeScalingActivities(b -> b.autoScalingGroupName(group).maxRecords(max))
                .thenApply(r -> List.copyOf(r.activities()));
    }

    @Override
    public CompletionStage<Void> terminateInstanceAndDecrement(String instanceId) {
        return client.terminateInstanceInAutoScalingGroup(b -> b.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(true)).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Optional<String>> launchConfigurationInstanceType(String launchConfigurationName) {
        return client.describeLaunchConfigurations(b -> b.launchConfigurationNames(launchConfigurationName))
                .thenApply(r -> r.launchConfigurations().stream()
                        .map(LaunchConfiguration::instanceType)
                        .filter(t -> t != null && !t.isEmpty())
                        .findFirst());
    }
}
