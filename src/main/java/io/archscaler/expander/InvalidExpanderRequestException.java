package io.archscaler.expander;

/** A {@code BestOptionsRequest} whose bytes are not one: answered with INVALID_ARGUMENT. */
public final class InvalidExpanderRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidExpanderRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
