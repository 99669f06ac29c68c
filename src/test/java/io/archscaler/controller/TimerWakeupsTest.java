package io.archscaler.controller;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The production wake-ups: one Vert.x timer per wake-up, on the context it was asked for. */
class TimerWakeupsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWakeupRunsOnItsContextOnceTheClockReachesItsInstant() throws Exception {
        Context context = vertx.getOrCreateContext();
        Clock clock = Clock.systemUTC();
        Instant at = clock.instant().plusMillis(100);
        CompletableFuture<Instant> ran = new CompletableFuture<>();
        CompletableFuture<Boolean> onContext = new CompletableFuture<>();
        context.runOnContext(v -> Wakeups.timers(clock).at(at, context, () -> {
            onContext.complete(Vertx.currentContext() == context);
            ran.complete(clock.instant());
        }));
        assertThat(ran.get(5, TimeUnit.SECONDS)).isAfterOrEqualTo(at);
        assertThat(onContext.get()).isTrue();
    }

    @Test
    void aWakeupForAnInstantPassedRunsSoonAndACancelledOneNever() throws Exception {
        Context context = vertx.getOrCreateContext();
        Clock clock = Clock.systemUTC();
        CompletableFuture<Void> cancelledRan = new CompletableFuture<>();
        CompletableFuture<Instant> pastRan = new CompletableFuture<>();
        CompletableFuture<Void> laterRan = new CompletableFuture<>();
        Instant asked = clock.instant();
        context.runOnContext(v -> {
            Wakeups wakeups = Wakeups.timers(clock);
            wakeups.at(asked.plusMillis(50), context, () -> cancelledRan.complete(null)).cancel();
            wakeups.at(asked.minusSeconds(5), context, () -> pastRan.complete(clock.instant()));
            // runs after the cancelled one would have
            wakeups.at(asked.plusMillis(200), context, () -> laterRan.complete(null));
        });
        assertThat(Duration.between(asked, pastRan.get(5, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(1));
        laterRan.get(5, TimeUnit.SECONDS);
        assertThat(cancelledRan).isNotDone();
    }

    @Test
    void theTimerIsSetForTheTimeFromTheClocksNowNotTheWallClocks() throws Exception {
        Context context = vertx.getOrCreateContext();
        // a clock an hour behind: an instant 100 ms ahead of it is 100 ms away, not an hour ago
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        Instant at = behind.instant().plusMillis(100);
        long started = System.nanoTime();
        CompletableFuture<Long> ranAfter = new CompletableFuture<>();
        context.runOnContext(v -> Wakeups.timers(behind).at(at, context,
                () -> ranAfter.complete(System.nanoTime() - started)));
        assertThat(Duration.ofNanos(ranAfter.get(5, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
