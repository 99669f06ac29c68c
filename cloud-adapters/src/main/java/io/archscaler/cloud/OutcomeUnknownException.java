package io.archscaler.cloud;

/**
 * A call whose answer never came: the cloud may or may not have carried it out. Retryable only
 * when doing it twice is harmless; for a call that changes a size by a delta it is not, and
 * whoever made the call reads the size back to learn what happened.
 */
public class OutcomeUnknownException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /** @param retryable false when the call may have been carried out and is not safe to repeat */
    public OutcomeUnknownException(String provider, String operation, String message, boolean retryable) {
        super(provider, operation, message, null);
        this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String reason() {
        return "Timeout";
    }
}
