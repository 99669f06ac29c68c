package io.archscaler.scaler.scaledown;

/** A node scale-down keeps, with the rule that keeps it and the details in words. */
public record Unremovable(String node, String nodeGroup, UnremovableReason reason, String detail) {
}
