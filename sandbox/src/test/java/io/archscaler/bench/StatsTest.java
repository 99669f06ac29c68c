package io.archscaler.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    @Test
    void percentilesAreNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[99 - i] = i + 1;
        }

        assertThat(Stats.percentile(values, 0.50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 0.99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 1.0)).isEqualTo(100);
        assertThat(Stats.percentile(new double[] {7}, 0.99)).isEqualTo(7);
        assertThat(Stats.percentile(new double[0], 0.5)).isZero();
    }

    @Test
    void theLogLogSlopeOfAPowerLawIsItsExponent() {
        double[] x = {1_000, 5_000, 10_000, 20_000, 50_000};
        double[] linear = new double[x.length];
        double[] superLinear = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            linear[i] = 0.002 * x[i];
            superLinear[i] = 3 * Math.pow(x[i], 1.5);
        }

        assertThat(Stats.logLogSlope(x, linear)).isCloseTo(1.0, within(1e-9));
        assertThat(Stats.logLogSlope(x, superLinear)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void aFitNeedsTwoPositivePointsWithDistinctSizes() {
        assertThatThrownBy(() -> Stats.logLogSlope(new double[] {1}, new double[] {1}))
                .hasMessageContaining("two or more");
        assertThatThrownBy(() -> Stats.logLogSlope(new double[] {1, 2}, new double[] {0, 1}))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Stats.logLogSlope(new double[] {2, 2}, new double[] {1, 3}))
                .hasMessageContaining("distinct");
    }
}
