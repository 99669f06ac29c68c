package io.archscaler.cloud;

import java.util.Objects;

/**
 * Why an instance that was asked for will not come, as the cloud said it (the Cluster
 * Autoscaler's {@code InstanceErrorInfo}).
 *
 * @param kind    what sort of failure it is, which decides its typed exception and metric reason
 * @param code    the cloud's own code ({@code InsufficientInstanceCapacity}, {@code AsgInstanceLaunchFailures}, …)
 * @param message the cloud's own message
 */
public record InstanceError(Kind kind, String code, String message) {

    /** The sorts of launch failure; each is one low-cardinality metric reason. */
    public enum Kind {
        /** No capacity of the instance type now (on-demand or spot): plan elsewhere. */
        CAPACITY("InsufficientCapacity"),
        /** An account quota (vCPU or instance limit) is used up. */
        QUOTA("QuotaExceeded"),
        /** The subnet has no free IP addresses. */
        NETWORK("SubnetFull"),
        /** The launch template, AMI, instance profile or another parameter is wrong. */
        CONFIGURATION("LaunchConfiguration"),
        /** The machine did not get a provider ID, or its node did not register, within its provision timeout. */
        TIMEOUT("NodeProvisionTimeout"),
        /** Any other reported failure. */
        OTHER("LaunchFailed");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        /** The word metrics, Events and backoff entries use. */
        public String reason() {
            return reason;
        }
    }

    public InstanceError {
        Objects.requireNonNull(kind, "kind");
        code = code == null || code.isBlank() ? kind.reason() : code;
        message = message == null ? "" : message;
    }

    /**
     * The same typed failure a refused scale-up would have given: capacity is an
     * {@link InsufficientCapacityException} (the circuit counts it), anything else a
     * {@link LaunchFailedException}.
     */
    public ProviderException toException(String provider, String nodeGroup) {
        if (kind == Kind.CAPACITY) {
            return new InsufficientCapacityException(provider, "launch", nodeGroup, code + ": " + message);
        }
        return new LaunchFailedException(provider, nodeGroup, this);
    }
}
