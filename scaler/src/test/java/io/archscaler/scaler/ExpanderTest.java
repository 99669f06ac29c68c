package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

class ExpanderTest {

    private static Expander.Option option(Fixtures.GroupBuilder b, long podsPerNode) {
        NodeGroup g = b.build();
        return new Expander.Option(g, g.arch(), podsPerNode);
    }

    static Stream<Arguments> rankings() {
        return Stream.of(
                Arguments.of("default weights put arm64 first",
                        List.of(option(group("x86", AMD64), 4), option(group("arm", ARM64), 4)), List.of("arm", "x86")),
                Arguments.of("a higher weight wins over arch",
                        List.of(option(group("arm", ARM64), 4), option(group("x86", AMD64).weight(200), 4)),
                        List.of("x86", "arm")),
                Arguments.of("equal weights: lower price per pod wins",
                        List.of(option(group("big", AMD64).weight(100).price(0.40), 16),
                                option(group("small", AMD64).weight(100).price(0.10), 2)),
                        List.of("big", "small")),
                Arguments.of("equal weight and price per pod: arm64 first",
                        List.of(option(group("x86", AMD64).weight(50).price(0.1), 4),
                                option(group("arm", ARM64).weight(50).price(0.1), 4)),
                        List.of("arm", "x86")),
                Arguments.of("all else equal: by name",
                        List.of(option(group("b", ARM64).price(0.1), 4), option(group("a", ARM64).price(0.1), 4)),
                        List.of("a", "b")),
                Arguments.of("an unknown price ranks after known ones",
                        List.of(option(group("free", ARM64).price(0), 4), option(group("paid", ARM64).price(1), 4)),
                        List.of("paid", "free")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rankings")
    void groupsRankByWeightThenPricePerPodThenArchThenName(String name, List<Expander.Option> options,
                                                           List<String> expected) {
        List<Expander.Option> sorted = new ArrayList<>(options);
        sorted.sort(Expander.RANKING);

        assertThat(sorted).extracting(o -> o.group().name()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> skips() {
        return Stream.of(
                Arguments.of("a group with headroom is not skipped", group("g", ARM64).size(0, 10, 3), snapshot(),
                        null),
                Arguments.of("a group at maxSize", group("g", ARM64).size(0, 10, 10), snapshot(), "at maxSize 10"),
                Arguments.of("a group in backoff", group("g", ARM64), snapshot().backedOff("g"), "in backoff"),
                Arguments.of("a group whose circuit is open", group("g", ARM64), snapshot().circuitOpen("g"),
                        "circuit open"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("skips")
    void groupsAtMaxInBackoffOrWithAnOpenCircuitAreSkipped(String name, Fixtures.GroupBuilder group,
                                                           Fixtures.SnapshotBuilder snapshot, String why) {
        NodeGroup g = group.build();
        ClusterSnapshot s = snapshot.groups(group).build();

        assertThat(Expander.skipped(g, s).orElse(null)).isEqualTo(why);
    }
}
