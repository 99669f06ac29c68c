package io.archscaler.cloud.resilience;

import io.archscaler.cloud.ProviderException;

/**
 * A scale-up refused without calling the provider, because the group's circuit is open after
 * repeated capacity errors (or half-open with its probe already in flight). Plan elsewhere.
 */
public class CircuitOpenException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String nodeGroup;

    public CircuitOpenException(String provider, String operation, String nodeGroup) {
        super(provider, operation, nodeGroup + ": circuit open after repeated insufficient capacity", null);
        this.nodeGroup = nodeGroup;
    }

    public String nodeGroup() {
        return nodeGroup;
    }

    @Override
    public String reason() {
        return "CircuitOpen";
    }
}
