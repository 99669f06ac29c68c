package io.archscaler.scaler.restore;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a draining or finished move's pods count as back, so the next restore scan may book room again. */
class SettlingMovesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final String WEB = "default/ReplicaSet/web-5d8f";
    private static final String DB = "default/StatefulSet/db";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                              | web now | db now | seconds after | holds
            "no replacement made yet                             | 3       | 2      | 0             | true",
            "web back, db not yet                                | 6       | 2      | 5             | true",
            "both back                                           | 6       | 3      | 5             | false",
            "more than before (an HPA scaled up) counts as back  | 8       | 4      | 5             | false",
            "just before the limit, still short                  | 5       | 3      | 59            | true",
            "at the limit (a workload scaled down meanwhile)     | 5       | 3      | 60            | false"})
    void aFinishedMoveHoldsScansUntilEachWorkloadHasItsPodsBoundAgainOrTheLimit(String name, int web, int db,
                                                                               long seconds, boolean holds) {
        SettlingMoves moves = new SettlingMoves();
        moves.finished(new SettlingMoves.Settling("amd-1", Map.of(WEB, 6, DB, 3), T0));

        assertThat(moves.holds(Map.of(WEB, web, DB, db), T0.plusSeconds(seconds))).isEqualTo(holds);
        assertThat(moves.nodes()).isEqualTo(holds ? java.util.List.of("amd-1") : java.util.List.of());
    }

    @Test
    void aSettledMoveIsForgottenAndDoesNotHoldAgainWhenItsWorkloadShrinksLater() {
        SettlingMoves moves = new SettlingMoves();
        moves.finished(new SettlingMoves.Settling("amd-1", Map.of(WEB, 2), T0));

        assertThat(moves.holds(Map.of(WEB, 2), T0.plusSeconds(3))).isFalse();
        assertThat(moves.holds(Map.of(WEB, 0), T0.plusSeconds(4))).isFalse();
        assertThat(moves.workloads()).isEmpty();
    }

    @Test
    void eachMoveSettlesOnItsOwnAndTheWorkloadsToCountAreThoseOfTheMovesLeft() {
        SettlingMoves moves = new SettlingMoves();
        moves.finished(new SettlingMoves.Settling("amd-1", Map.of(WEB, 4), T0));
        moves.finished(new SettlingMoves.Settling("amd-2", Map.of(DB, 3), T0.plusSeconds(30)));
        assertThat(moves.workloads()).containsExactly(WEB, DB);

        assertThat(moves.holds(Map.of(WEB, 4, DB, 1), T0.plusSeconds(31))).isTrue();
        assertThat(moves.nodes()).containsExactly("amd-2");
        assertThat(moves.workloads()).containsExactly(DB);
        // amd-2's own limit counts from its own finish
        assertThat(moves.holds(Map.of(DB, 1), T0.plusSeconds(30).plus(SettlingMoves.LIMIT).minusSeconds(1))).isTrue();
        assertThat(moves.holds(Map.of(DB, 1), T0.plusSeconds(30).plus(SettlingMoves.LIMIT))).isFalse();
    }

    /**
     * The node is not removed yet, but its pods were evicted and their replacements not made: the
     * room meant for them would look free to a scan (the demo's second move once took it).
     */
    @Test
    void aDrainingMoveHoldsScansFromItsEvictionsUntilItsPodsAreBoundAgain() {
        SettlingMoves moves = new SettlingMoves();
        moves.draining(new SettlingMoves.Settling("amd-1", Map.of(WEB, 6), T0));
        assertThat(moves.workloads()).containsExactly(WEB);

        assertThat(moves.holds(Map.of(WEB, 6), T0)).as("nothing evicted yet").isFalse();
        assertThat(moves.holds(Map.of(WEB, 3), T0.plusSeconds(1))).as("evicted, not replaced").isTrue();
        assertThat(moves.holds(Map.of(WEB, 6), T0.plusSeconds(3))).as("replacements bound").isFalse();
        assertThat(moves.holds(Map.of(WEB, 3), T0.plus(SettlingMoves.LIMIT))).as("at the limit").isFalse();
        assertThat(moves.nodes()).as("only finished moves are listed as settling").isEmpty();
    }

    @Test
    void aDrainingMoveThatEndsSettlesAsAFinishedOneFromItsEnd() {
        SettlingMoves moves = new SettlingMoves();
        moves.draining(new SettlingMoves.Settling("amd-1", Map.of(WEB, 6), T0));
        moves.finished(new SettlingMoves.Settling("amd-1", Map.of(WEB, 6), T0.plusSeconds(50)));

        // past the drain's own limit, within the finished move's
        assertThat(moves.holds(Map.of(WEB, 4), T0.plus(SettlingMoves.LIMIT).plusSeconds(1))).isTrue();
        assertThat(moves.holds(Map.of(WEB, 6), T0.plus(SettlingMoves.LIMIT).plusSeconds(2))).isFalse();
        assertThat(moves.workloads()).isEmpty();
    }

    @Test
    void aMoveThatEvictedNoWorkloadPodDoesNotHold() {
        SettlingMoves moves = new SettlingMoves();
        moves.draining(new SettlingMoves.Settling("amd-1", Map.of(), T0));
        assertThat(moves.holds(Map.of(), T0)).isFalse();
        moves.finished(new SettlingMoves.Settling("amd-1", Map.of(), T0));

        assertThat(moves.holds(Map.of(), T0)).isFalse();
        assertThat(Duration.ofMinutes(1)).isEqualTo(SettlingMoves.LIMIT);
    }
}
