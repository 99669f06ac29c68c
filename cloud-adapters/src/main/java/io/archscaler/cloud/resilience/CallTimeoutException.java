package io.archscaler.cloud.resilience;

import io.archscaler.cloud.ProviderException;

import java.time.Duration;

/** A provider call that did not complete within the policy's call timeout. Retryable. */
public class CallTimeoutException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String provider, String operation, Duration timeout) {
        super(provider, operation, "no answer within " + timeout.toMillis() + " ms", null);
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public String reason() {
        return "Timeout";
    }
}
