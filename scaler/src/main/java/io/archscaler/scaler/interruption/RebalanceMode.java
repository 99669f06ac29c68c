package io.archscaler.scaler.interruption;

/** What a rebalance recommendation leads to: {@code record} (an Event and a count) or {@code act} (a replacement). */
public enum RebalanceMode {
    RECORD,
    ACT
}
