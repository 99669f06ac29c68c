package io.archscaler.cloud;

import java.util.List;
import java.util.Optional;

/**
 * The instances of a group that were asked for and will not come, as {@link NodeGroupProvider#instances}
 * reports them: how many, and the first one's error (a scale-up's instances fail for one reason).
 */
public record FailedLaunches(int count, InstanceError error) {

    /** The failed instances among these, or empty when none failed. */
    public static Optional<FailedLaunches> in(List<Instance> instances) {
        List<Instance> failed = instances.stream().filter(Instance::failed).toList();
        return failed.isEmpty() ? Optional.empty() : Optional.of(new FailedLaunches(failed.size(), failed.get(0).error()));
    }
}
