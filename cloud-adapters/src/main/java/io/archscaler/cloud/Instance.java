package io.archscaler.cloud;

import java.util.Objects;

/**
 * A machine a provider holds for a group, or a placeholder for one it was asked for and has not
 * launched, as the Cluster Autoscaler's {@code cloudprovider.Instance}.
 *
 * @param providerId the {@code spec.providerID} its node will carry ({@code aws:///us-west-2a/i-0abc…}),
 *                   empty while it has none
 * @param error      why it will not come, or null (only for {@link InstanceState#CREATING})
 */
public record Instance(String id, String providerId, InstanceState state, InstanceError error) {
    public Instance {
        Objects.requireNonNull(id, "id");
        providerId = providerId == null ? "" : providerId;
        Objects.requireNonNull(state, "state");
    }

    public Instance(String id, String providerId, InstanceState state) {
        this(id, providerId, state, null);
    }

    /** Asked for, and the cloud says it will not come. */
    public boolean failed() {
        return state == InstanceState.CREATING && error != null;
    }
}
