package io.archscaler.scaler.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BatchWindowTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void noBatchIsOpenUntilAPodArrives() {
        BatchWindow w = new BatchWindow(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(w.closesAt()).isEmpty();
        assertThat(w.isDue(T0)).isFalse();
    }

    @Test
    void batchClosesAfterIdleWithNoNewPod() {
        BatchWindow w = new BatchWindow(Duration.ofSeconds(1), Duration.ofSeconds(10));
        w.add(T0);
        w.add(T0.plusMillis(600));
        assertThat(w.closesAt()).contains(T0.plusMillis(1600));
        assertThat(w.isDue(T0.plusMillis(1599))).isFalse();
        assertThat(w.isDue(T0.plusMillis(1600))).isTrue();
    }

    @Test
    void steadyStreamOfPodsClosesTheBatchAtMax() {
        BatchWindow w = new BatchWindow(Duration.ofSeconds(1), Duration.ofSeconds(10));
        for (int ms = 0; ms <= 12_000; ms += 500) {
            w.add(T0.plusMillis(ms));
        }
        assertThat(w.closesAt()).contains(T0.plusSeconds(10));
        assertThat(w.close()).isEqualTo(25);
        assertThat(w.closesAt()).isEmpty();
    }
}
