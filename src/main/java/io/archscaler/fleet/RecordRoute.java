package io.archscaler.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * What a fleet replica does with one event read from its partitions. A record keyed by its
 * cluster's name, on that name's partition, is the cluster owner's to apply. Anything else (today's
 * {@code cluster/namespace/name} keys, or a producer that partitioned by other rules) is written
 * again under the cluster's name, so it reaches the owner, and is then committed here. A cluster
 * the fleet does not serve goes to the dead-letter topic.
 */
public enum RecordRoute {
    /** Apply it: the cluster is on this partition. */
    APPLY,
    /** Write it again keyed by its cluster, onto that cluster's partition. */
    REKEY,
    /** No cluster of this name in the fleet. */
    UNKNOWN_CLUSTER;

    /**
     * @param key        the record's key (may be null)
     * @param cluster    the {@code cluster} field of its value
     * @param partition  the partition it was read from
     * @param partitions how many partitions its topic has
     * @param known      the clusters of the fleet config now
     */
    public static RecordRoute of(byte[] key, String cluster, int partition, int partitions, Set<String> known) {
        if (!known.contains(cluster)) {
            return UNKNOWN_CLUSTER;
        }
        boolean keyedByCluster = key != null && Arrays.equals(key, cluster.getBytes(StandardCharsets.UTF_8));
        return keyedByCluster && FleetPartitions.partitionOf(cluster, partitions) == partition ? APPLY : REKEY;
    }
}
