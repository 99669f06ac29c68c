package io.archscaler.cloud;

/** Where a provider's instance is in its life, in the Cluster Autoscaler's words ({@code InstanceState}). */
public enum InstanceState {
    /** Asked for and not running yet: launching, or not even launched (a placeholder for a wanted instance). */
    CREATING,
    /** Running (it may or may not have registered as a node yet). */
    RUNNING,
    /** On its way out. */
    DELETING
}
