package io.archscaler.cloud.resilience;

import java.time.Duration;

/**
 * Hears every call made through a {@link MeteredNodeGroupProvider}; the metrics module implements
 * it with meters. Called on the thread that completed the call: keep it quick and non-blocking.
 */
@FunctionalInterface
public interface ProviderCallObserver {
    /** The outcome of a call that succeeded. */
    String SUCCESS = "success";

    /** An observer that does nothing. */
    ProviderCallObserver NOOP = (provider, operation, nodeGroup, outcome, duration) -> {
    };

    /**
     * @param nodeGroup the group the call was about, or {@code ""} for calls about no group ({@code nodeGroups})
     * @param outcome   {@link #SUCCESS}, or the failure's {@code ProviderException.reason()}
     *                  ({@code InsufficientCapacity}, {@code Throttling}, {@code CircuitOpen}, …), or the
     *                  simple class name of any other exception
     */
    void onCall(String provider, String operation, String nodeGroup, String outcome, Duration duration);
}
