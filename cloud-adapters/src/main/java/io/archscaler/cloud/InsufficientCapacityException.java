package io.archscaler.cloud;

import java.util.List;

/** The cloud has no capacity of the group's instance types now: back off and plan elsewhere. */
public class InsufficientCapacityException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String nodeGroup;
    private final List<String> instanceTypes;

    public InsufficientCapacityException(String provider, String operation, String nodeGroup, String message) {
        this(provider, operation, nodeGroup, message, List.of());
    }

    /**
     * @param instanceTypes the instance types the cloud named as short (an EC2 Fleet's errors name
     *                      each override); empty when it named none, which means the group's own
     */
    public InsufficientCapacityException(String provider, String operation, String nodeGroup, String message,
                                         List<String> instanceTypes) {
        super(provider, operation, nodeGroup + ": " + message, null);
        this.nodeGroup = nodeGroup;
        this.instanceTypes = List.copyOf(instanceTypes);
    }

    public String nodeGroup() {
        return nodeGroup;
    }

    /** The instance types the cloud said it has no capacity for; empty: the group's own. */
    public List<String> instanceTypes() {
        return instanceTypes;
    }

    @Override
    public boolean offeringUnavailable() {
        return true;
    }

    @Override
    public String reason() {
        return "InsufficientCapacity";
    }
}
