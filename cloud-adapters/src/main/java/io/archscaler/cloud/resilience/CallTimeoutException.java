package io.archscaler.cloud.resilience;

import io.archscaler.cloud.OutcomeUnknownException;

import java.time.Duration;

/**
 * A provider call that did not complete within the policy's call timeout: the contract's
 * {@link OutcomeUnknownException}. Retryable, except for calls that change a size by a delta
 * ({@code increaseSize}, {@code decreaseTargetSize}): the cloud may have carried one out before its
 * answer was given up on, and doing it again would change the size twice. Whoever made such a call
 * reads the size back to learn what happened.
 */
public class CallTimeoutException extends OutcomeUnknownException {
    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String provider, String operation, Duration timeout) {
        this(provider, operation, timeout, true);
    }

    /** @param retryable false when the call may have been carried out and is not safe to repeat */
    public CallTimeoutException(String provider, String operation, Duration timeout, boolean retryable) {
        super(provider, operation, "no answer within " + timeout.toMillis() + " ms"
                + (retryable ? "" : "; the cloud may have carried it out"), retryable);
    }
}
