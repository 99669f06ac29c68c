package io.archscaler.cloud.resilience;

import io.archscaler.cloud.ProviderException;

/**
 * A call refused before it reached the provider because too many are in flight
 * ({@link #BULKHEAD_FULL}) or the provider's rate would be exceeded for too long
 * ({@link #RATE_LIMITED}). Retryable: the retry's backoff is the wait for room.
 */
public class CallRejectedException extends ProviderException {
    private static final long serialVersionUID = 1L;
    public static final String BULKHEAD_FULL = "BulkheadFull";
    public static final String RATE_LIMITED = "RateLimited";
    private final String reason;

    public CallRejectedException(String provider, String operation, String reason, String message) {
        super(provider, operation, message, null);
        this.reason = reason;
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public String reason() {
        return reason;
    }
}
