package io.archscaler.scaler.caexpander;

/** An option left out of the answer, with the reason and the words for the log. */
public record Drop(String nodeGroupId, DropReason reason, String detail) {
}
