package io.archscaler.hpa;

/** An HPA, workload or prometheus-adapter rule Archscaler cannot read, with a message naming what and where. */
public final class HpaTranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HpaTranslationException(String message) {
        super(message);
    }

    public HpaTranslationException(String message, Throwable cause) {
        super(message, cause);
    }
}
