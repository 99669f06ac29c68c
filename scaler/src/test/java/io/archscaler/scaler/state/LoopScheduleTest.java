package io.archscaler.scaler.state;

import io.archscaler.scaler.state.LoopSchedule.Duty;
import io.archscaler.scaler.state.LoopSchedule.Loop;
import io.archscaler.scaler.state.LoopSchedule.ScaleDown;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** Rescan 10 s, group refresh 10 s, gauges 1 s, scale-down scan 2 s. */
    private static final LoopSchedule.Intervals EVERY = new LoopSchedule.Intervals(Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2));
    private static final Loop QUIET = new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.IDLE);

    /** A schedule whose periodic duties were all done at T0. */
    private static LoopSchedule doneAtT0() {
        LoopSchedule s = new LoopSchedule(EVERY);
        for (Duty d : List.of(Duty.REFRESH_GROUPS, Duty.UPDATE_GAUGES, Duty.SCAN_SCALE_DOWN, Duty.SCAN_RESTORE)) {
            s.done(d, T0);
        }
        return s;
    }

    private static Loop batchClosingAt(long ms) {
        return new Loop(Optional.of(T0.plusMillis(ms)), Optional.of(T0), Optional.empty(), ScaleDown.IDLE);
    }

    private static Loop restore(ScaleDown scan, Optional<Instant> movesAt) {
        return new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.IDLE,
                new LoopSchedule.Restore(scan, movesAt));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // what the loop says, how long after T0 it is asked, what is due, the next instant (ms after T0)
                Arguments.of("quiet: only the gauges recur", QUIET, 500, Set.of(), 1000),
                Arguments.of("gauges due on the second", QUIET, 1000, EnumSet.of(Duty.UPDATE_GAUGES), 2000),
                Arguments.of("an open batch closes before the gauges", batchClosingAt(200), 100, Set.of(), 200),
                Arguments.of("a batch is due at its close exactly", batchClosingAt(200), 200,
                        EnumSet.of(Duty.CLOSE_BATCH), 1000),
                Arguments.of("no rescan while a batch is open", batchClosingAt(20_000), 12_000,
                        EnumSet.of(Duty.UPDATE_GAUGES, Duty.REFRESH_GROUPS), 12_000 + 1000),
                Arguments.of("waiting pods are planned again a rescan after the last plan",
                        new Loop(Optional.empty(), Optional.of(T0), Optional.empty(), ScaleDown.IDLE), 10_000,
                        EnumSet.of(Duty.RESCAN, Duty.REFRESH_GROUPS, Duty.UPDATE_GAUGES), 11_000),
                Arguments.of("no rescan when no pod waits", QUIET, 10_000,
                        EnumSet.of(Duty.REFRESH_GROUPS, Duty.UPDATE_GAUGES), 11_000),
                Arguments.of("provisioning falls due between gauges",
                        new Loop(Optional.empty(), Optional.empty(), Optional.of(T0.plusMillis(300)), ScaleDown.IDLE), 0,
                        Set.of(), 300),
                Arguments.of("provisioning overdue runs at once",
                        new Loop(Optional.empty(), Optional.empty(), Optional.of(T0.minusSeconds(5)), ScaleDown.IDLE), 0,
                        EnumSet.of(Duty.CHECK_PROVISIONING), 1000),
                Arguments.of("scale-down scans every scan interval",
                        new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.SCAN), 1500,
                        EnumSet.of(Duty.UPDATE_GAUGES), 2000),
                Arguments.of("scale-down scan due",
                        new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.SCAN), 2000,
                        EnumSet.of(Duty.UPDATE_GAUGES, Duty.SCAN_SCALE_DOWN), 3000),
                Arguments.of("recovering drains is due at once",
                        new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.RECOVER), 100,
                        EnumSet.of(Duty.SCAN_SCALE_DOWN), 1000),
                Arguments.of("restores scan at scale-down's scan interval",
                        restore(ScaleDown.SCAN, Optional.empty()), 2000,
                        EnumSet.of(Duty.UPDATE_GAUGES, Duty.SCAN_RESTORE), 3000),
                Arguments.of("undoing the moves an old leader left is due at once",
                        restore(ScaleDown.RECOVER, Optional.empty()), 100, EnumSet.of(Duty.SCAN_RESTORE), 1000),
                Arguments.of("a move's next step falls due between gauges",
                        restore(ScaleDown.IDLE, Optional.of(T0.plusMillis(800))), 500, Set.of(), 800),
                Arguments.of("a move's step due now runs with the restore scan",
                        restore(ScaleDown.SCAN, Optional.of(T0.plusMillis(1500))), 2000,
                        EnumSet.of(Duty.UPDATE_GAUGES, Duty.SCAN_RESTORE, Duty.ADVANCE_MOVES), 3000),
                Arguments.of("an idle scale-down never falls due",
                        new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.IDLE), 2000,
                        EnumSet.of(Duty.UPDATE_GAUGES), 3000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void dueDutiesAndTheNextInstant(String what, Loop loop, long afterMs, Set<Duty> due, long nextMs) {
        LoopSchedule.Due d = doneAtT0().due(T0.plusMillis(afterMs), loop);
        assertThat(d.now()).as(what).isEqualTo(due);
        assertThat(d.next()).as(what).isEqualTo(T0.plusMillis(nextMs));
    }

    @Test
    void aScheduleNeverDoneHasItsPeriodicDutiesDueAtOnce() {
        LoopSchedule s = new LoopSchedule(EVERY);
        assertThat(s.due(T0, new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.SCAN)).now())
                .containsExactly(Duty.REFRESH_GROUPS, Duty.UPDATE_GAUGES, Duty.SCAN_SCALE_DOWN);
    }

    @Test
    void dutiesComeInTheOrderTheLoopRunsThem() {
        LoopSchedule s = new LoopSchedule(EVERY);
        Loop all = new Loop(Optional.of(T0), Optional.of(T0), Optional.of(T0), ScaleDown.RECOVER);
        assertThat(new ArrayList<>(s.due(T0, all).now())).containsExactly(Duty.CLOSE_BATCH,
                Duty.CHECK_PROVISIONING, Duty.REFRESH_GROUPS, Duty.UPDATE_GAUGES, Duty.SCAN_SCALE_DOWN);
    }

    /** Walks a clock through a minute, running what is due and jumping to the next instant each time. */
    @Test
    void jumpingFromOneDueInstantToTheNextRunsEachDutyOnTimeAndNeverStallsOnTheSameInstant() {
        LoopSchedule s = new LoopSchedule(EVERY);
        Instant now = T0;
        List<Instant> refreshes = new ArrayList<>();
        List<Instant> scans = new ArrayList<>();
        int wakeups = 0;
        while (now.isBefore(T0.plusSeconds(60))) {
            LoopSchedule.Due due = s.due(now, new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.SCAN));
            for (Duty d : due.now()) {
                s.done(d, now);
                (d == Duty.REFRESH_GROUPS ? refreshes : d == Duty.SCAN_SCALE_DOWN ? scans : new ArrayList<Instant>())
                        .add(now);
            }
            LoopSchedule.Due after = s.due(now, new Loop(Optional.empty(), Optional.empty(), Optional.empty(), ScaleDown.SCAN));
            assertThat(after.now()).as("nothing is due again at %s once done", now).isEmpty();
            assertThat(after.next()).isAfter(now);
            now = after.next();
            wakeups++;
        }
        assertThat(refreshes).hasSize(6).first().isEqualTo(T0);
        assertThat(scans).hasSize(30);
        // the gauges set the pace: one wake-up a second, the others fall on them
        assertThat(wakeups).isEqualTo(60);
    }

    @Test
    void podsStillWaitingAreRescannedOneIntervalAfterTheLastPlanWhenever() {
        Loop planned = new Loop(Optional.empty(), Optional.of(T0.plusSeconds(3)), Optional.empty(), ScaleDown.IDLE);
        assertThat(doneAtT0().due(T0.plusMillis(12_500), planned).next()).isEqualTo(T0.plusSeconds(13));
        assertThat(doneAtT0().due(T0.plusSeconds(13), planned).now()).contains(Duty.RESCAN);
    }

    @Test
    void intervalsMustBePositive() {
        assertThatThrownBy(() -> new LoopSchedule.Intervals(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
