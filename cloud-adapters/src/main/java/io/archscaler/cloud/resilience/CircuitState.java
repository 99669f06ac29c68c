package io.archscaler.cloud.resilience;

/**
 * The state of a node group's circuit: CLOSED lets scale-ups through, OPEN fails them fast (the
 * planner skips the group), HALF_OPEN lets one probe through to learn whether capacity is back.
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
