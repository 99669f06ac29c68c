package io.archscaler.cloud;

/** A failed provider call; subclasses say what kind of failure it was. */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String provider;
    private final String operation;

    public ProviderException(String provider, String operation, String message, Throwable cause) {
        super(provider + " " + operation + ": " + message, cause);
        this.provider = provider;
        this.operation = operation;
    }

    public String provider() {
        return provider;
    }

    public String operation() {
        return operation;
    }

    /** Whether trying the same call again may succeed (throttling, 5xx, timeouts). */
    public boolean retryable() {
        return false;
    }

    /**
     * Whether the failure says the group's offering (instance type × zone × capacity type) has
     * no room now, so the planner leaves it out for a while: capacity, quota and full-subnet errors.
     */
    public boolean offeringUnavailable() {
        return false;
    }

    /** A short word for metrics and events ({@code InsufficientCapacity}, {@code Throttling}, …). */
    public String reason() {
        return getClass().getSimpleName().replace("Exception", "");
    }
}
