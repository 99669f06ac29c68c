package io.archscaler.scaler.state;

import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class GroupBackoffTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final GroupBackoff backoff = new GroupBackoff(clock, Duration.ofMinutes(5), Duration.ofMinutes(30));

    @Test
    void failedGroupIsBackedOffForFiveMinutes() {
        backoff.failed("arm", "InsufficientCapacity");
        assertThat(backoff.backedOff()).containsExactly("arm");
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(backoff.isBackedOff("arm")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.isBackedOff("arm")).isFalse();
    }

    @Test
    void repeatedFailuresDoubleTheWaitUpToThirtyMinutes() {
        long[] expectedMinutes = {5, 10, 20, 30, 30};
        for (long minutes : expectedMinutes) {
            GroupBackoff.Entry e = backoff.failed("arm", "InsufficientCapacity");
            assertThat(Duration.between(clock.instant(), e.until())).isEqualTo(Duration.ofMinutes(minutes));
            clock.advance(Duration.ofMinutes(minutes));
        }
    }

    @Test
    void successResetsTheBackoff() {
        backoff.failed("arm", "x");
        backoff.failed("arm", "x");
        backoff.succeeded("arm");
        GroupBackoff.Entry e = backoff.failed("arm", "x");
        assertThat(e.failures()).isEqualTo(1);
    }

    @Test
    void aLongQuietPeriodStartsCountingAgain() {
        backoff.failed("arm", "x");
        backoff.failed("arm", "x");
        clock.advance(Duration.ofHours(2));
        assertThat(backoff.failed("arm", "x").failures()).isEqualTo(1);
    }
}
