package io.archscaler.fleet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What a fleet replica does with a record, by its key, cluster and partition. */
class FleetRecordRouteTest {
    private static final int PARTITIONS = 6;
    private static final Set<String> KNOWN = Set.of("edge-1", "edge-2");

    static Stream<Arguments> routes() {
        int home = FleetPartitions.partitionOf("edge-1", PARTITIONS);
        int elsewhere = (home + 1) % PARTITIONS;
        return Stream.of(
                arguments("keyed by its cluster, on its partition", "edge-1", "edge-1", home, RecordRoute.APPLY),
                arguments("today's cluster/namespace/name key, on another partition", "edge-1/shop/web-0", "edge-1",
                        elsewhere, RecordRoute.REKEY),
                arguments("today's key that happens to land on the cluster's partition", "edge-1/shop/web-0", "edge-1",
                        home, RecordRoute.REKEY),
                arguments("keyed by its cluster but on another partition (another partitioner)", "edge-1", "edge-1",
                        elsewhere, RecordRoute.REKEY),
                arguments("no key", null, "edge-1", home, RecordRoute.REKEY),
                arguments("a key naming another cluster", "edge-2", "edge-1", home, RecordRoute.REKEY),
                arguments("a cluster the fleet does not serve", "edge-9", "edge-9",
                        FleetPartitions.partitionOf("edge-9", PARTITIONS), RecordRoute.UNKNOWN_CLUSTER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void routesTheRecord(String what, String key, String cluster, int partition, RecordRoute expected) {
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        assertThat(RecordRoute.of(keyBytes, cluster, partition, PARTITIONS, KNOWN)).isEqualTo(expected);
    }
}
