package io.archscaler.controller;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link Wakeups} on Vert.x one-shot timers: a wake-up for instant T is a timer of
 * {@code T − clock.now}, rounded up to the millisecond (at least one). A clock that does not
 * follow the timers only makes the task run early or late; it reads the clock itself.
 */
final class TimerWakeups implements Wakeups {
    private final Clock clock;

    TimerWakeups(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Wakeup at(Instant at, Context context, Runnable task) {
        Duration wait = Duration.between(clock.instant(), at);
        // rounded up: a timer that fires before the instant would find nothing due yet
        long millis = Math.max(1, wait.plusNanos(999_999).toMillis());
        Vertx vertx = context.owner();
        long id = vertx.setTimer(millis, t -> {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(v -> task.run());
            }
        });
        return () -> vertx.cancelTimer(id);
    }
}
