package io.archscaler.scaler.state;

import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionTrackerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final ProvisionTracker tracker = new ProvisionTracker(clock, Duration.ofMinutes(15));

    @Test
    void nodesThatRegisterLeaveNothingToExpire() {
        tracker.requested("arm", 3);
        tracker.reconcile("arm", 0);
        clock.advance(Duration.ofMinutes(20));
        assertThat(tracker.expire()).isEmpty();
    }

    @Test
    void nodesThatNeverRegisterExpireAfterMaxNodeProvisionTime() {
        tracker.requested("arm", 3);
        tracker.reconcile("arm", 2);
        clock.advance(Duration.ofMinutes(14));
        assertThat(tracker.expire()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(tracker.expire()).singleElement()
                .satisfies(e -> {
                    assertThat(e.group()).isEqualTo("arm");
                    assertThat(e.nodes()).isEqualTo(2);
                });
        assertThat(tracker.inFlight("arm")).isZero();
    }

    @Test
    void inFlightNodesFoundAfterARestartStartTheirClockWhenSeen() {
        tracker.reconcile("x86", 2);
        assertThat(tracker.inFlight("x86")).isEqualTo(2);
        clock.advance(Duration.ofMinutes(16));
        assertThat(tracker.expire()).extracting(ProvisionTracker.Expired::nodes).containsExactly(2);
    }

    @Test
    void olderRequestsAreTakenAsRegisteredFirst() {
        tracker.requested("arm", 1);
        clock.advance(Duration.ofMinutes(10));
        tracker.requested("arm", 1);
        tracker.reconcile("arm", 1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(tracker.expire()).isEmpty();
    }
}
