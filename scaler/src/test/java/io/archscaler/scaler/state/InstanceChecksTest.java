package io.archscaler.scaler.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceChecksTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final InstanceChecks checks = new InstanceChecks(Duration.ofSeconds(15));

    @Test
    void aScaledUpGroupIsFirstCheckedOneIntervalLaterAndThenEveryInterval() {
        checks.scaledUp("arm", T0);
        assertThat(checks.next(Set.of("arm"))).contains(T0.plusSeconds(15));
        assertThat(checks.start(T0.plusSeconds(14), Set.of("arm"))).isEmpty();
        assertThat(checks.start(T0.plusSeconds(15), Set.of("arm"))).containsExactly("arm");
        checks.finished("arm");
        assertThat(checks.next(Set.of("arm"))).contains(T0.plusSeconds(30));
    }

    @Test
    void aGroupInFlightThatWasNeverScaledUpHereIsCheckedAtOnce() {
        assertThat(checks.start(T0, List.of("x86", "arm"))).containsExactly("arm", "x86");
    }

    @Test
    void aGroupIsNeverCheckedTwiceAtOnce() {
        assertThat(checks.start(T0, Set.of("arm"))).containsExactly("arm");
        assertThat(checks.start(T0.plusSeconds(60), Set.of("arm"))).isEmpty();
        assertThat(checks.next(Set.of("arm"))).isEmpty();
        checks.finished("arm");
        assertThat(checks.start(T0.plusSeconds(60), Set.of("arm"))).containsExactly("arm");
    }

    @Test
    void aGroupWhoseProviderCannotListIsNotAskedAgain() {
        checks.start(T0, Set.of("arm"));
        checks.cannotList("arm");
        assertThat(checks.next(Set.of("arm"))).isEmpty();
        assertThat(checks.start(T0.plusSeconds(60), Set.of("arm"))).isEmpty();
    }

    @Test
    void aGroupNoLongerInFlightStartsAfreshWhenItIsScaledUpAgain() {
        checks.scaledUp("arm", T0);
        checks.start(T0.plusSeconds(15), Set.of("arm"));
        checks.finished("arm");
        checks.start(T0.plusSeconds(20), Set.of());
        checks.scaledUp("arm", T0.plusSeconds(40));
        assertThat(checks.next(Set.of("arm"))).contains(T0.plusSeconds(55));
    }
}
