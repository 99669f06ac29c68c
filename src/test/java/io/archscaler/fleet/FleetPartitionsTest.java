package io.archscaler.fleet;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which partition a cluster lands on and which clusters a replica owns given its partitions. */
class FleetPartitionsTest {

    @Test
    void aClusterLandsWhereKafkasOwnPartitionerPutsARecordKeyedByItsName() {
        long seed = System.nanoTime();
        System.out.println("FleetPartitionsTest seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            String name = "c" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            int partitions = 1 + random.nextInt(64);
            assertThat(FleetPartitions.partitionOf(name, partitions)).as(name + " over " + partitions + " (seed " + seed + ")")
                    .isEqualTo(BuiltInPartitioner.partitionForKey(name.getBytes(StandardCharsets.UTF_8), partitions));
        }
    }

    @Test
    void theOwnedClustersAreThoseOnTheOwnedPartitionsAndEachClusterHasExactlyOneOwner() {
        List<String> clusters = IntStream.range(0, 20).mapToObj(i -> "edge-" + i).toList();
        Map<Integer, Set<String>> byPartition = FleetPartitions.byPartition(clusters, 6);
        // three replicas splitting six partitions two by two
        Set<String> a = FleetPartitions.owned(clusters, 6, Set.of(0, 1));
        Set<String> b = FleetPartitions.owned(clusters, 6, Set.of(2, 3));
        Set<String> c = FleetPartitions.owned(clusters, 6, Set.of(4, 5));
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        all.addAll(c);
        assertThat(all).containsExactlyInAnyOrderElementsOf(clusters);
        assertThat(a).doesNotContainAnyElementsOf(b).doesNotContainAnyElementsOf(c);
        assertThat(b).doesNotContainAnyElementsOf(c);
        for (String cluster : a) {
            assertThat(Set.of(0, 1)).contains(FleetPartitions.partitionOf(cluster, 6));
        }
        assertThat(byPartition.values().stream().mapToInt(Set::size).sum()).isEqualTo(20);
    }

    @Test
    void noPartitionsOwnedMeansNoClusters() {
        assertThat(FleetPartitions.owned(List.of("a", "b"), 6, Set.of())).isEmpty();
    }

    @Test
    void aTopicWithoutPartitionsIsAnError() {
        assertThatThrownBy(() -> FleetPartitions.partitionOf("a", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
