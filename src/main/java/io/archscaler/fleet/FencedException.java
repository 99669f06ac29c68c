package io.archscaler.fleet;

import io.archscaler.cloud.ProviderException;

/** A cloud call refused because this replica no longer owns the cluster: the call was never made. */
public final class FencedException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public FencedException(String provider, String operation, String message) {
        super(provider, operation, message, null);
    }

    @Override
    public String reason() {
        return "Fenced";
    }
}
