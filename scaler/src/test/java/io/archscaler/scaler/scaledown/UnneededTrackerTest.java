package io.archscaler.scaler.scaledown;

import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.archscaler.scaler.scaledown.ScaleDownFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

class UnneededTrackerTest {
    private final MutableClock clock = new MutableClock(T0);
    private final UnneededTracker tracker = new UnneededTracker(clock);

    @Test
    void aNodeKeepsItsFirstSightingWhileItStaysUnneeded() {
        tracker.update(List.of("a"));
        clock.advance(Duration.ofMinutes(4));
        tracker.update(List.of("a", "b"));
        clock.advance(Duration.ofMinutes(1));

        assertThat(tracker.since("a")).contains(T0);
        assertThat(tracker.unneededFor("a")).isEqualTo(Duration.ofMinutes(5));
        assertThat(tracker.unneededFor("b")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aNodeMissingFromOneEvaluationStartsOver() {
        tracker.update(List.of("a"));
        clock.advance(Duration.ofMinutes(4));
        tracker.update(List.of());
        assertThat(tracker.since("a")).isEmpty();
        assertThat(tracker.unneededFor("a")).isZero();
        tracker.update(List.of("a"));
        assertThat(tracker.since("a")).contains(T0.plus(Duration.ofMinutes(4)));
    }

    @Test
    void forgetAndClearDropNodes() {
        tracker.update(List.of("a", "b"));
        tracker.forget("a");
        assertThat(tracker.all()).containsOnlyKeys("b");
        tracker.clear();
        assertThat(tracker.all()).isEmpty();
    }
}
