package io.archscaler.cli;

/** A failure the user can fix (a file that cannot be read, bad input): printed as {@code archscaler: message}, exit 1. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
