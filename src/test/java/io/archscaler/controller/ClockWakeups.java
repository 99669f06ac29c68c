package io.archscaler.controller;

import io.archscaler.testing.MutableClock;
import io.vertx.core.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link Wakeups} bound to a {@link MutableClock}: nothing wakes the controller until the test
 * moves the clock, and then the wake-ups that fell due run on their contexts, in the order of their
 * instants. A wake-up for an instant the clock has reached runs at once.
 */
public final class ClockWakeups implements Wakeups {
    private final MutableClock clock;
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(Instant at, Context context, Runnable task) {
    }

    public ClockWakeups(MutableClock clock) {
        this.clock = clock;
    }

    public ClockWakeups() {
        this(new MutableClock());
    }

    /** The clock the controller reads; give it to the controller with this. */
    public MutableClock clock() {
        return clock;
    }

    @Override
    public Wakeup at(Instant at, Context context, Runnable task) {
        synchronized (this) {
            if (at.isAfter(clock.instant())) {
                Pending p = new Pending(at, context, task);
                pending.add(p);
                return () -> {
                    synchronized (this) {
                        pending.remove(p);
                    }
                };
            }
        }
        context.runOnContext(v -> task.run());
        return () -> { };
    }

    /**
     * Moves the clock by {@code by} and runs the wake-ups that fell due; returns once they have run
     * (what they started may still be under way).
     */
    public void advance(Duration by) {
        List<Pending> due = new ArrayList<>();
        synchronized (this) {
            clock.advance(by);
            Instant now = clock.instant();
            pending.removeIf(p -> !p.at().isAfter(now) && due.add(p));
        }
        due.sort(Comparator.comparing(Pending::at));
        CountDownLatch ran = new CountDownLatch(due.size());
        for (Pending p : due) {
            p.context().runOnContext(v -> {
                try {
                    p.task().run();
                } finally {
                    ran.countDown();
                }
            });
        }
        try {
            if (!ran.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("wake-ups due at " + clock.instant() + " did not run within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while wake-ups ran", e);
        }
    }

    /** The instant of the earliest wake-up armed, or null when none is. */
    public synchronized Instant nextWakeup() {
        return pending.stream().map(Pending::at).min(Comparator.naturalOrder()).orElse(null);
    }
}
