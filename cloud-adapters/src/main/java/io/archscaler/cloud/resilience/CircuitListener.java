package io.archscaler.cloud.resilience;

/** Hears a node group's circuit change state (for events, logs and metrics). Called on the thread that caused it. */
@FunctionalInterface
public interface CircuitListener {
    /** A listener that does nothing. */
    CircuitListener NOOP = (provider, nodeGroup, from, to) -> {
    };

    void onTransition(String provider, String nodeGroup, CircuitState from, CircuitState to);
}
