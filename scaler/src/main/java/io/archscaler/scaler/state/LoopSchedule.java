package io.archscaler.scaler.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The scaling loop's timetable: given the clock's {@code now} and what the loop's state says about
 * time, which duties are due now and the instant the next one falls due. It sets no timer; the
 * controller runs the duties due and arms one wake-up for {@link Due#next()}, so the loop keeps to
 * whatever clock it is given.
 */
public final class LoopSchedule {
    /** What the loop does on time, in the order it does what is due together. */
    public enum Duty {
        /** The open batch of pending pods closed: plan it. */
        CLOSE_BATCH,
        /** Pods (or HPA headroom) still wait and no plan ran for {@code rescan}: plan them again. */
        RESCAN,
        /** Nodes on their way passed maxNodeProvisionTime, or a group's instances are to be listed. */
        CHECK_PROVISIONING,
        /** Read the node groups' sizes from the providers again. */
        REFRESH_GROUPS,
        /** Bring the gauges up to date. */
        UPDATE_GAUGES,
        /** Run the scale-down planner, or finish the drains an old leader left. */
        SCAN_SCALE_DOWN,
        /** Run the restore planner (at scale-down's scan interval), or undo the moves an old leader left. */
        SCAN_RESTORE,
        /** A move toward arm64 has its next step due: its capacity is Ready, failed, or ran out of time. */
        ADVANCE_MOVES
    }

    /** What scale-down asks of the schedule. */
    public enum ScaleDown {
        /** Nothing: not leading, scale-down disabled, or a scan is under way. */
        IDLE,
        /** Drains an old leader left are to be finished or undone: at once. */
        RECOVER,
        /** Scan every {@code scaleDownScan}. */
        SCAN
    }

    /**
     * What moves toward arm64 ask of the schedule.
     *
     * @param scan    as scale-down asks: nothing, recover what an old leader left, or scan every {@code scaleDownScan}
     * @param movesAt when a move in progress next has a step to take; empty for none
     */
    public record Restore(ScaleDown scan, Optional<Instant> movesAt) {
        public static final Restore IDLE = new Restore(ScaleDown.IDLE, Optional.empty());

        public Restore {
            Objects.requireNonNull(scan, "scan");
            Objects.requireNonNull(movesAt, "movesAt");
        }
    }

    /** How often the periodic duties run. */
    public record Intervals(Duration rescan, Duration groupRefresh, Duration gauges, Duration scaleDownScan) {
        public Intervals {
            for (Duration d : new Duration[] {rescan, groupRefresh, gauges, scaleDownScan}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("schedule intervals must be positive: " + d);
                }
            }
        }
    }

    /**
     * What the loop's state says about time now.
     *
     * @param batchClosesAt  when the open batch closes; empty when none is open
     * @param lastPlan       when the last plan started; present only while pending pods or headroom
     *                       wait and the loop can plan (leading, no plan under way). Plans start on
     *                       events too, so the loop, not the schedule, knows when the last one did
     * @param provisioningAt when the watch over nodes on their way next has something to do; empty for none
     * @param scaleDown      what scale-down asks for
     * @param restore        what moves toward arm64 ask for
     */
    public record Loop(Optional<Instant> batchClosesAt, Optional<Instant> lastPlan, Optional<Instant> provisioningAt,
                       ScaleDown scaleDown, Restore restore) {
        public Loop {
            Objects.requireNonNull(batchClosesAt, "batchClosesAt");
            Objects.requireNonNull(lastPlan, "lastPlan");
            Objects.requireNonNull(provisioningAt, "provisioningAt");
            Objects.requireNonNull(scaleDown, "scaleDown");
            Objects.requireNonNull(restore, "restore");
        }

        /** With no move toward arm64 asking for anything. */
        public Loop(Optional<Instant> batchClosesAt, Optional<Instant> lastPlan, Optional<Instant> provisioningAt,
                    ScaleDown scaleDown) {
            this(batchClosesAt, lastPlan, provisioningAt, scaleDown, Restore.IDLE);
        }
    }

    /**
     * The duties due now, in {@link Duty} order, and when the next one not due now falls due (there
     * is always one: the gauges recur).
     */
    public record Due(Set<Duty> now, Instant next) {
        public Due {
            EnumSet<Duty> ordered = EnumSet.noneOf(Duty.class);
            ordered.addAll(now);
            now = Collections.unmodifiableSet(ordered);
            Objects.requireNonNull(next, "next");
        }
    }

    private final Intervals every;
    /** When each periodic duty was last done; never means the epoch, so it is due at once. */
    private final Map<Duty, Instant> lastDone = new EnumMap<>(Duty.class);

    public LoopSchedule(Intervals every) {
        this.every = Objects.requireNonNull(every, "every");
    }

    /**
     * A periodic duty ({@code REFRESH_GROUPS}, {@code UPDATE_GAUGES}, {@code SCAN_SCALE_DOWN},
     * {@code SCAN_RESTORE}) was done at {@code at}.
     */
    public void done(Duty duty, Instant at) {
        lastDone.put(duty, at);
    }

    /** When the duty was last done, the epoch when never. */
    public Instant lastDone(Duty duty) {
        return lastDone.getOrDefault(duty, Instant.EPOCH);
    }

    /** Which duties are due at {@code now}, and the earliest instant after {@code now} another falls due. */
    public Due due(Instant now, Loop loop) {
        Map<Duty, Instant> at = new EnumMap<>(Duty.class);
        loop.batchClosesAt().ifPresent(t -> at.put(Duty.CLOSE_BATCH, t));
        // while a batch is open, its close plans the pods: no rescan besides
        if (loop.batchClosesAt().isEmpty()) {
            loop.lastPlan().ifPresent(t -> at.put(Duty.RESCAN, t.plus(every.rescan())));
        }
        loop.provisioningAt().ifPresent(t -> at.put(Duty.CHECK_PROVISIONING, t));
        at.put(Duty.REFRESH_GROUPS, lastDone(Duty.REFRESH_GROUPS).plus(every.groupRefresh()));
        at.put(Duty.UPDATE_GAUGES, lastDone(Duty.UPDATE_GAUGES).plus(every.gauges()));
        switch (loop.scaleDown()) {
            case RECOVER -> at.put(Duty.SCAN_SCALE_DOWN, now);
            case SCAN -> at.put(Duty.SCAN_SCALE_DOWN, lastDone(Duty.SCAN_SCALE_DOWN).plus(every.scaleDownScan()));
            case IDLE -> { }
        }
        switch (loop.restore().scan()) {
            case RECOVER -> at.put(Duty.SCAN_RESTORE, now);
            case SCAN -> at.put(Duty.SCAN_RESTORE, lastDone(Duty.SCAN_RESTORE).plus(every.scaleDownScan()));
            case IDLE -> { }
        }
        loop.restore().movesAt().ifPresent(t -> at.put(Duty.ADVANCE_MOVES, t));
        Set<Duty> dueNow = EnumSet.noneOf(Duty.class);
        // the gauges recur, so there is always a next instant; a due duty counts as done now for it
        Instant next = now.plus(every.gauges());
        for (Map.Entry<Duty, Instant> e : at.entrySet()) {
            if (e.getValue().isAfter(now)) {
                next = e.getValue().isBefore(next) ? e.getValue() : next;
            } else {
                dueNow.add(e.getKey());
            }
        }
        return new Due(dueNow, next);
    }
}
