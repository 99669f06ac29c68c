package io.archscaler.kafka;

/** A record value that is not a readable event; the message is a one-line reason for the dead-letter header. */
public final class EventDecodeException extends Exception {
    public EventDecodeException(String reason) {
        super(reason);
    }

    public EventDecodeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
