package io.archscaler.scaler.restore;

/** An amd64 node whose pods stay for now, with the rule that keeps them and the details in words. */
public record Kept(String node, String nodeGroup, KeptReason reason, String detail) {
}
