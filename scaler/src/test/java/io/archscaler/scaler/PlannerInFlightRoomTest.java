package io.archscaler.scaler;

import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which in-flight nodes count as room: an arm64 group with two nodes on their way takes the
 * flexible pods onto them unless its last scale-up failed (backoff) or its circuit is open; then
 * the pods flow to amd64 at once instead of waiting for nodes that may never come.
 */
class PlannerInFlightRoomTest {

    static Stream<Arguments> table() {
        UnaryOperator<Fixtures.SnapshotBuilder> healthy = s -> s;
        UnaryOperator<Fixtures.SnapshotBuilder> inBackoff = s -> s.backedOff("arm-general");
        UnaryOperator<Fixtures.SnapshotBuilder> circuitOpen = s -> s.circuitOpen("arm-general");
        UnaryOperator<Fixtures.SnapshotBuilder> amd64InBackoff = s -> s.backedOff("x86-general");
        return Stream.of(
                // name, arm64 state, pods placed on in-flight room, new amd64 nodes
                Arguments.of("healthy arm64 group", healthy, 4, 0),
                Arguments.of("arm64 group in backoff", inBackoff, 0, 1),
                Arguments.of("arm64 group with an open circuit", circuitOpen, 0, 1),
                Arguments.of("another group in backoff", amd64InBackoff, 4, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void inFlightRoomOfAGroup(String name, UnaryOperator<Fixtures.SnapshotBuilder> state, int onInFlight,
                              int newAmd64Nodes) {
        // four 500m pods: one fixture node holds them all, so the in-flight nodes have room for every one
        ScalePlan plan = new Planner().plan(state.apply(snapshot()
                .groups(group("arm-general", ARM64).target(2), group("x86-general", AMD64))
                .inFlight("arm-general", 2)
                .pods(Fixtures.pods("web", 4, "500m", "512Mi"))).build());

        assertThat(plan.onExistingCapacity()).hasSize(onInFlight);
        assertThat(plan.scaleUps().stream().filter(u -> u.nodeGroup().equals("x86-general"))
                .mapToInt(ScaleUp::delta).sum()).isEqualTo(newAmd64Nodes);
        assertThat(plan.scaleUps()).extracting(ScaleUp::nodeGroup).doesNotContain("arm-general");
        assertThat(plan.unschedulable()).isEmpty();
        assertThat(List.of(plan.onExistingCapacity().size() + plan.scaleUps().stream()
                .mapToInt(u -> u.pods().size()).sum())).containsExactly(4);
    }
}
