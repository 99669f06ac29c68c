package io.archscaler.cloud;

/** An optional provider operation this provider does not offer. */
public class NotImplementedException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public NotImplementedException(String provider, String operation) {
        super(provider, operation, "not implemented by this provider", null);
    }
}
