package io.archscaler.metrics;

/**
 * The sizes of one node group, as its gauges show them.
 *
 * @param targetSize    the desired size the cloud was last told
 * @param readyNodes    registered nodes that are ready
 * @param inFlightNodes nodes asked for that have not registered yet
 */
public record NodeGroupSizes(int minSize, int maxSize, int targetSize, int readyNodes, int inFlightNodes) {
}
