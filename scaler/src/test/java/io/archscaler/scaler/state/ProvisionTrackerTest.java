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
        tracker.reconcile("arm", 3, 3);
        clock.advance(Duration.ofMinutes(20));
        assertThat(tracker.expire()).isEmpty();
    }

    @Test
    void nodesThatNeverRegisterExpireAfterMaxNodeProvisionTimeAndHoldNoRoomAfterwards() {
        tracker.requested("arm", 3);
        tracker.reconcile("arm", 3, 1);
        clock.advance(Duration.ofMinutes(14));
        assertThat(tracker.expire()).isEmpty();
        assertThat(tracker.inFlight("arm", 3, 1)).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        assertThat(tracker.expire()).singleElement()
                .satisfies(e -> {
                    assertThat(e.group()).isEqualTo("arm");
                    assertThat(e.nodes()).isEqualTo(2);
                });
        assertThat(tracker.tracked("arm")).isZero();
        // the cloud's target still says 3 (its correction is on its way, or failed): no phantom room
        tracker.reconcile("arm", 3, 1);
        assertThat(tracker.inFlight("arm", 3, 1)).isZero();
        assertThat(tracker.tracked("arm")).as("their clock does not restart").isZero();
        clock.advance(Duration.ofMinutes(16));
        assertThat(tracker.expire()).isEmpty();
    }

    @Test
    void inFlightNodesFoundAfterARestartStartTheirClockWhenSeen() {
        tracker.reconcile("x86", 2, 0);
        assertThat(tracker.tracked("x86")).isEqualTo(2);
        clock.advance(Duration.ofMinutes(16));
        assertThat(tracker.expire()).extracting(ProvisionTracker.Expired::nodes).containsExactly(2);
    }

    @Test
    void olderRequestsAreTakenAsRegisteredFirst() {
        tracker.requested("arm", 1);
        clock.advance(Duration.ofMinutes(10));
        tracker.requested("arm", 1);
        tracker.reconcile("arm", 2, 1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(tracker.expire()).isEmpty();
    }

    @Test
    void givenUpNodesAreForgottenOnceTheTargetIsCorrected() {
        tracker.requested("arm", 2);
        tracker.giveUp("arm", 2);
        assertThat(tracker.inFlight("arm", 4, 2)).isZero();
        tracker.reconcile("arm", 4, 2);
        assertThat(tracker.givenUp("arm")).isEqualTo(2);
        tracker.reconcile("arm", 2, 2);
        assertThat(tracker.givenUp("arm")).isZero();
        assertThat(tracker.inFlight("arm", 2, 2)).isZero();
    }

    @Test
    void aLaterScaleUpOfAGroupWhoseCorrectionFailedCountsOnlyItsOwnNodes() {
        tracker.requested("arm", 2);
        tracker.giveUp("arm", 2);
        tracker.reconcile("arm", 4, 2);
        tracker.requested("arm", 3);
        assertThat(tracker.inFlight("arm", 7, 2)).isEqualTo(3);
        tracker.reconcile("arm", 7, 2);
        assertThat(tracker.tracked("arm")).isEqualTo(3);
        // the three register; the two given up still never come
        tracker.reconcile("arm", 7, 5);
        assertThat(tracker.inFlight("arm", 7, 5)).isZero();
        assertThat(tracker.tracked("arm")).isZero();
    }

    @Test
    void givenUpNodesThatRegisterAnywayStopBeingGivenUp() {
        tracker.requested("arm", 2);
        tracker.giveUp("arm", 2);
        tracker.reconcile("arm", 4, 3);
        assertThat(tracker.givenUp("arm")).isEqualTo(1);
        tracker.requested("arm", 1);
        assertThat(tracker.inFlight("arm", 5, 3)).isEqualTo(1);
    }

    @Test
    void aCorrectionThatLowersTheTargetStopsCountingItsNodesAsGivenUp() {
        tracker.requested("arm", 3);
        tracker.giveUp("arm", 1);
        assertThat(tracker.inFlight("arm", 3, 0)).isEqualTo(2);
        // the target went 3 -> 2 for the one given up: the other two are still on their way
        tracker.corrected("arm", 1);
        tracker.reconcile("arm", 2, 0);
        assertThat(tracker.inFlight("arm", 2, 0)).isEqualTo(2);
        assertThat(tracker.givenUp("arm")).isZero();
    }

    @Test
    void theNextExpiryIsTheOldestNodesDeadlineAndItExpiresThere() {
        assertThat(tracker.nextExpiry()).isEmpty();
        tracker.requested("arm", 1);
        clock.advance(Duration.ofMinutes(5));
        tracker.requested("x86", 2);
        Instant armDeadline = clock.instant().minus(Duration.ofMinutes(5)).plus(Duration.ofMinutes(15));
        assertThat(tracker.nextExpiry()).contains(armDeadline);
        clock.advance(Duration.ofMinutes(10));
        assertThat(tracker.expire()).extracting(ProvisionTracker.Expired::group).containsExactly("arm");
        assertThat(tracker.nextExpiry()).contains(armDeadline.plus(Duration.ofMinutes(5)));
    }
}
