package io.archscaler.cloud;

/**
 * A machine a provider holds for a group.
 *
 * @param providerId the {@code spec.providerID} its node will carry ({@code aws:///us-west-2a/i-0abc…})
 * @param state      the provider's lifecycle word for it ({@code Pending}, {@code InService}, …)
 */
public record Instance(String id, String providerId, String state) {
}
