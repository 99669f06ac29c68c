package io.archscaler.cloud;

/** An error answered by a cloud or cluster API, with its error code. */
public class CloudApiException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String errorCode;
    private final boolean retryable;

    public CloudApiException(String provider, String operation, String errorCode, String message, boolean retryable,
                             Throwable cause) {
        super(provider, operation, errorCode + ": " + message, cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    public String errorCode() {
        return errorCode;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String reason() {
        return errorCode;
    }
}
