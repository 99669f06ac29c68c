package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.scaledown.ScaleDownFixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** One row per case of how planned removals are carried out; see {@link DrainRules}. */
class DrainRulesTableTest {

    static Stream<Arguments> evictions() {
        return Stream.of(
                arguments("a replicated pod is evicted", false, Map.of(), true),
                arguments("a pod with no annotations at all is evicted", false, null, true),
                arguments("a DaemonSet pod stays with the node", true, Map.of(), false),
                arguments("a static pod's mirror stays with the node", false,
                        Map.of(ScaleDownAnnotations.MIRROR, "abc"), false),
                arguments("other annotations do not keep a pod", false, Map.of("team", "web"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evictions")
    void whichPodsADrainEvicts(String rule, boolean daemonSet, Map<String, String> annotations, boolean evicted) {
        assertThat(DrainRules.evicts(daemonSet, annotations)).as(rule).isEqualTo(evicted);
    }

    static Stream<Arguments> waves() {
        return Stream.of(
                arguments("nothing to remove, nothing to do", "", 3, List.of()),
                arguments("empty nodes go together", "e1 e2", 3, List.of("e1 e2")),
                arguments("empty nodes go at most maxParallelism at a time", "e1 e2 e3 e4 e5", 2,
                        List.of("e1 e2", "e3 e4", "e5")),
                arguments("a full last wave of empty nodes leaves no empty wave behind", "e1 e2", 2,
                        List.of("e1 e2")),
                arguments("one node with pods per scan, after the empty ones before it", "e1 p1 e2 p2", 3,
                        List.of("e1", "p1")),
                arguments("a node with pods first stops the scan at it", "p1 e1 e2", 3, List.of("p1")),
                arguments("one at a time when maxParallelism is 1", "e1 e2 p1", 1, List.of("e1", "e2", "p1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waves")
    void removalsGoInWaves(String rule, String planned, int maxParallelism, List<String> expected) {
        List<List<Removal>> waves = DrainRules.waves(removals(planned), maxParallelism);
        assertThat(waves.stream().map(w -> String.join(" ", w.stream().map(Removal::node).toList())).toList())
                .as(rule).isEqualTo(expected);
    }

    static Stream<Arguments> staleness() {
        return Stream.of(
                arguments("still as planned", true, false, List.of("default/web-1"), null),
                arguments("nothing left on it is fine too", true, false, List.of(), null),
                arguments("the node is gone", false, false, List.of("default/web-1"), "the node is gone"),
                arguments("another drain has it", true, true, List.of("default/web-1"),
                        "the node is already being drained"),
                arguments("a pod landed since the plan", true, false, List.of("default/web-1", "default/new"),
                        "pod default/new landed on it since the plan"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staleness")
    void aRemovalHoldsUntilTheNodeChanges(String rule, boolean present, boolean draining, List<String> evictableNow,
                                          String why) {
        Removal r = new Removal("arm", "arm-1", Arch.ARM64, Removal.Kind.UNDERUTILIZED, "underutilized",
                List.of("default/web-1"));
        assertThat(DrainRules.stale(r, present, draining, evictableNow).orElse(null)).as(rule).isEqualTo(why);
    }

    static Stream<Arguments> leftBehind() {
        NodeGroup aboveMin = group("arm", Arch.ARM64, 1, 3);
        NodeGroup atMin = group("arm", Arch.ARM64, 3, 3);
        return Stream.of(
                arguments("drained and its group may shrink: finished", aboveMin, 0, DrainRules.LeftBehind.FINISH),
                arguments("pods left to evict: undone", aboveMin, 2, DrainRules.LeftBehind.UNDO),
                arguments("its group is at minSize: undone", atMin, 0, DrainRules.LeftBehind.UNDO),
                arguments("in no known group: undone", null, 0, DrainRules.LeftBehind.UNDO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leftBehind")
    void aNewLeaderFinishesOrUndoesALeftDrain(String rule, NodeGroup group, int podsLeft,
                                              DrainRules.LeftBehind expected) {
        assertThat(DrainRules.leftBehind(group, podsLeft)).as(rule).isEqualTo(expected);
    }

    /** Nodes named {@code e…} are empty, {@code p…} have one pod. */
    private static List<Removal> removals(String names) {
        return Arrays.stream(names.split(" ")).filter(n -> !n.isEmpty())
                .map(n -> new Removal("arm", n, Arch.ARM64, n.startsWith("e") ? Removal.Kind.EMPTY
                        : Removal.Kind.UNDERUTILIZED, "why", n.startsWith("e") ? List.of() : List.of("default/" + n)))
                .toList();
    }
}
