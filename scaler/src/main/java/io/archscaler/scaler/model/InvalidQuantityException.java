package io.archscaler.scaler.model;

/** A resource quantity that is not a valid non-negative Kubernetes quantity. */
public final class InvalidQuantityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidQuantityException(String field, String value, String why) {
        super(field + ": invalid quantity \"" + value + "\": " + why);
    }
}
