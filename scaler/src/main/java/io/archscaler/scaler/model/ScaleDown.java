package io.archscaler.scaler.model;

/** Remove {@code node} (its own instance) from {@code nodeGroup}. */
public record ScaleDown(String nodeGroup, String node, String reason) {
}
