package io.archscaler.cloud;

/** The cloud has no capacity of the group's instance types now: back off and plan elsewhere. */
public class InsufficientCapacityException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String nodeGroup;

    public InsufficientCapacityException(String provider, String operation, String nodeGroup, String message) {
        super(provider, operation, nodeGroup + ": " + message, null);
        this.nodeGroup = nodeGroup;
    }

    public String nodeGroup() {
        return nodeGroup;
    }

    @Override
    public String reason() {
        return "InsufficientCapacity";
    }
}
