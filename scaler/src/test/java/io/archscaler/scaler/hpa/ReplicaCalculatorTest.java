package io.archscaler.scaler.hpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-metric replica counts, against replica_calculator.go's rules (tolerance 0.1 unless stated). */
class ReplicaCalculatorTest {
    private static final ReplicaCalculator.Tolerances DEFAULT = new ReplicaCalculator.Tolerances(0.1, 0.1);

    @ParameterizedTest(name = "Pods target {0}, value {1}, {2} replicas -> {3}")
    @CsvSource({
            // within tolerance on both sides, boundaries included
            "100, 109, 4, 4",
            "100, 110, 4, 4",
            "100, 90, 10, 10",
            "100, 91, 10, 10",
            // just outside: ceil(ratio x current)
            "100, 111, 4, 5",
            "100, 89, 10, 9",
            "100, 250, 4, 10",
            "100, 0, 4, 0",
            // milli-unit quantities: 1.2 / 500m = 2.4, x 4 = 9.6
            "500m, 1.2, 4, 10",
            // 100.0005 is 100001m: ratio 1.00001, within
            "100, 100.0005, 4, 4",
    })
    void podsMetricScalesByTheRatioOfThePerPodAverageToTheTarget(String target, String value, int current, int expected) {
        HpaMetric m = new HpaMetric(MetricSourceType.PODS, "http_requests_per_second", null,
                MetricTargetType.AVERAGE_VALUE, parse(target));
        assertThat(ReplicaCalculator.replicas(m, new BigDecimal(value), current, DEFAULT)).hasValue(expected);
    }

    @ParameterizedTest(name = "Utilization target {0}%, average {1}%, {2} replicas -> {3}")
    @CsvSource({
            // the utilisation is truncated to a whole percent first: 80.9 -> 80, 1.6 x 3 = 4.8
            "50, 80.9, 3, 5",
            "50, 54.9, 3, 3",
            "50, 55.9, 3, 3",
            "50, 56.5, 3, 4",
            "50, 44, 3, 3",
            "50, 30, 10, 6",
            "80, 200, 2, 5",
    })
    void utilizationTargetUsesWholePercentages(int target, String percent, int current, int expected) {
        HpaMetric m = new HpaMetric(MetricSourceType.RESOURCE, "cpu", null, MetricTargetType.UTILIZATION,
                BigDecimal.valueOf(target));
        assertThat(ReplicaCalculator.replicas(m, new BigDecimal(percent), current, DEFAULT)).hasValue(expected);
    }

    @Test
    void containerResourceAverageValueIsAPerPodAverage() {
        HpaMetric m = new HpaMetric(MetricSourceType.CONTAINER_RESOURCE, "memory", "app",
                MetricTargetType.AVERAGE_VALUE, parse("512Mi"));
        assertThat(m.id()).isEqualTo("app/memory");
        assertThat(ReplicaCalculator.replicas(m, parse("1Gi"), 3, DEFAULT)).hasValue(6);
    }

    @ParameterizedTest(name = "{0} {1} target {2}, value {3}, {4} replicas -> {5}")
    @CsvSource({
            // Value: ceil(value / target x current)
            "OBJECT, VALUE, 10, 30, 2, 6",
            "OBJECT, VALUE, 10, 10.5, 2, 2",
            "EXTERNAL, VALUE, 100, 1234.5, 4, 50",
            "EXTERNAL, VALUE, 100, 1000, 4, 40",
            // from zero replicas (minReplicas 0) the tolerance does not apply: ceil(ratio)
            "OBJECT, VALUE, 10, 25, 0, 3",
            "EXTERNAL, VALUE, 100, 105, 0, 2",
            // AverageValue: the value is a total; ceil(value / target) outside tolerance of value / (target x current)
            "OBJECT, AVERAGE_VALUE, 10, 45, 3, 5",
            "OBJECT, AVERAGE_VALUE, 10, 31, 3, 3",
            "EXTERNAL, AVERAGE_VALUE, 30, 1234.5, 4, 42",
            "EXTERNAL, AVERAGE_VALUE, 100, 1000, 4, 10",
            "EXTERNAL, AVERAGE_VALUE, 100, 250, 0, 3",
    })
    void objectAndExternalMetricsDistinguishValueFromAverageValue(MetricSourceType source, MetricTargetType type,
                                                                  String target, String value, int current, int expected) {
        HpaMetric m = new HpaMetric(source, "queue_messages_ready", null, type, parse(target));
        assertThat(ReplicaCalculator.replicas(m, new BigDecimal(value), current, DEFAULT)).hasValue(expected);
    }

    @Test
    void perPodMetricsGiveNothingWithoutPods() {
        HpaMetric m = new HpaMetric(MetricSourceType.PODS, "rps", null, MetricTargetType.AVERAGE_VALUE, BigDecimal.TEN);
        assertThat(ReplicaCalculator.replicas(m, BigDecimal.valueOf(100), 0, DEFAULT)).isEqualTo(OptionalInt.empty());
    }

    @Test
    void separateScaleUpAndScaleDownTolerancesApplyToTheirSide() {
        HpaMetric m = new HpaMetric(MetricSourceType.PODS, "rps", null, MetricTargetType.AVERAGE_VALUE,
                BigDecimal.valueOf(100));
        ReplicaCalculator.Tolerances tight = new ReplicaCalculator.Tolerances(0.3, 0.05);
        assertThat(ReplicaCalculator.replicas(m, BigDecimal.valueOf(106), 4, tight)).hasValue(5);
        assertThat(ReplicaCalculator.replicas(m, BigDecimal.valueOf(71), 10, tight)).hasValue(10);
        assertThat(ReplicaCalculator.replicas(m, BigDecimal.valueOf(69), 10, tight)).hasValue(7);
    }

    @Test
    void hugeRatiosAreCappedAtMaxInt32() {
        HpaMetric m = new HpaMetric(MetricSourceType.EXTERNAL, "q", null, MetricTargetType.VALUE, parse("1m"));
        assertThat(ReplicaCalculator.replicas(m, new BigDecimal("1e15"), 4, DEFAULT)).hasValue(Integer.MAX_VALUE);
    }

    @Test
    void aNegativeValueIsRefusedNamingTheMetric() {
        HpaMetric m = new HpaMetric(MetricSourceType.PODS, "rps", null, MetricTargetType.AVERAGE_VALUE, BigDecimal.TEN);
        assertThatThrownBy(() -> ReplicaCalculator.replicas(m, BigDecimal.valueOf(-1), 4, DEFAULT))
                .hasMessage("metric rps: value must not be negative (got -1)");
    }

    @Test
    void metricShapesTheControllerRefusesAreRefused() {
        assertThatThrownBy(() -> new HpaMetric(MetricSourceType.PODS, "rps", null, MetricTargetType.VALUE, BigDecimal.TEN))
                .hasMessage("a Pods metric takes an AverageValue target");
        assertThatThrownBy(() -> new HpaMetric(MetricSourceType.EXTERNAL, "q", null, MetricTargetType.UTILIZATION,
                BigDecimal.TEN)).hasMessage("a Utilization target only applies to Resource and ContainerResource metrics");
        assertThatThrownBy(() -> new HpaMetric(MetricSourceType.PODS, "rps", null, MetricTargetType.AVERAGE_VALUE,
                BigDecimal.ZERO)).hasMessage("target must be more than 0 (got 0)");
    }

    private static BigDecimal parse(String q) {
        return io.archscaler.scaler.model.Quantity.parse("target", q);
    }
}
