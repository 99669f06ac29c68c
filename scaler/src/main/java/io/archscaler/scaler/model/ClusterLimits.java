package io.archscaler.scaler.model;

/** Cluster-wide ceilings a plan never exceeds; {@code Long.MAX_VALUE} means no limit. */
public record ClusterLimits(long maxNodesTotal, long maxCoresTotal, long maxMemoryBytesTotal) {
    public static final ClusterLimits NONE = new ClusterLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    public static ClusterLimits ofNodes(long maxNodesTotal) {
        return new ClusterLimits(maxNodesTotal, Long.MAX_VALUE, Long.MAX_VALUE);
    }
}
