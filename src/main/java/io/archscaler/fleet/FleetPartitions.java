package io.archscaler.fleet;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Map;

/**
 * Which partition a cluster's events land on, and so which replica owns it: Kafka's default
 * partitioner on the cluster's name ({@code toPositive(murmur2(name)) % partitions}), the same
 * arithmetic a producer applies to a record keyed by that name. Pure: no client, no I/O.
 */
public final class FleetPartitions {
    private FleetPartitions() {
    }

    /** The partition a record keyed {@code cluster} goes to among {@code partitions}. */
    public static int partitionOf(String cluster, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition (got " + partitions + ")");
        }
        return Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The clusters of {@code clusters} whose partition is one of {@code owned}: those this replica acts for. */
    public static Set<String> owned(Collection<String> clusters, int partitions, Set<Integer> owned) {
        Set<String> out = new TreeSet<>();
        for (String c : clusters) {
            if (owned.contains(partitionOf(c, partitions))) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every partition with the clusters on it, in partition order; partitions with none are left out. */
    public static Map<Integer, Set<String>> byPartition(Collection<String> clusters, int partitions) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (String c : clusters) {
            out.computeIfAbsent(partitionOf(c, partitions), p -> new TreeSet<>()).add(c);
        }
        return out;
    }
}
