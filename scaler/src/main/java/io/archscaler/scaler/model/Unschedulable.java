package io.archscaler.scaler.model;

/** A pod no plan can help, with the reason in words an operator can act on. */
public record Unschedulable(String pod, String reason) {
}
