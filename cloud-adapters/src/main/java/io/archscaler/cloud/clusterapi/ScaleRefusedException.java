package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.ProviderException;

/**
 * A scale request the provider refuses before calling the API: it would leave the group's
 * min/max bounds, names a node that is not in the group, or the group's annotations are invalid.
 * Trying again does not help, so it is never retryable.
 */
public class ScaleRefusedException extends ProviderException {
    private static final long serialVersionUID = 1L;
    /** The target would go above the group's max size. */
    public static final String ABOVE_MAX_SIZE = "AboveMaxSize";
    /** The target would go below the group's min size. */
    public static final String BELOW_MIN_SIZE = "BelowMinSize";
    /** The delta was zero or negative. */
    public static final String INVALID_DELTA = "InvalidDelta";
    /** A node to delete has no Machine in the group. */
    public static final String NODE_NOT_IN_GROUP = "NodeNotInGroup";
    /** The group's resource carries an annotation that cannot be read. */
    public static final String INVALID_ANNOTATION = "InvalidAnnotation";

    private final String nodeGroup;
    private final String reason;

    public ScaleRefusedException(String provider, String operation, String nodeGroup, String reason, String message) {
        super(provider, operation, nodeGroup + ": " + message, null);
        this.nodeGroup = nodeGroup;
        this.reason = reason;
    }

    public String nodeGroup() {
        return nodeGroup;
    }

    @Override
    public String reason() {
        return reason;
    }
}
