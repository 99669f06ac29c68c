package io.archscaler.scaler.model;

/**
 * Why a scale-up of an amd64 group took pods that could run on arm64.
 *
 * @param cause  the strongest of the reasons, typed (the metric label)
 * @param reason the planner's sentence naming each arm64 group passed over and why
 */
public record Fallback(FallbackCause cause, String reason) {
    public Fallback {
        if (cause == null || reason == null) {
            throw new IllegalArgumentException("a fallback has a cause and a reason");
        }
    }
}
