package io.archscaler.controller;

import io.vertx.core.Context;

import java.time.Clock;
import java.time.Instant;

/**
 * How time reaches the scaling loop: "run this on that context at instant T of the injected
 * clock". The loop's decisions are made from the clock's {@code now}; a wake-up only prompts them,
 * so one that comes a little early or late decides nothing wrong. Production uses Vert.x one-shot
 * timers ({@link #timers}); tests move a clock and run what fell due.
 */
public interface Wakeups {
    /** A wake-up not yet run. */
    interface Wakeup {
        /** Drops the wake-up if it has not run yet. */
        void cancel();
    }

    /** Runs {@code task} on {@code context} once the clock reads {@code at}; soon when it already does. */
    Wakeup at(Instant at, Context context, Runnable task);

    /** One Vert.x timer per wake-up, set for the time from the clock's now to the instant. */
    static Wakeups timers(Clock clock) {
        return new TimerWakeups(clock);
    }
}
