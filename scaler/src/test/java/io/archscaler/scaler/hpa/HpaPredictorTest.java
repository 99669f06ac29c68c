package io.archscaler.scaler.hpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole-HPA predictions against horizontal.go's rules: several metrics, min/max, behavior, stabilisation. */
class HpaPredictorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final WorkloadRef CHECKOUT = new WorkloadRef("shop", "Deployment", "checkout");
    private static final HpaMetric RPS = new HpaMetric(MetricSourceType.PODS, "http_requests_per_second", null,
            MetricTargetType.AVERAGE_VALUE, BigDecimal.valueOf(100));
    private static final HpaMetric QUEUE = new HpaMetric(MetricSourceType.EXTERNAL, "queue_messages_ready", null,
            MetricTargetType.AVERAGE_VALUE, BigDecimal.valueOf(30));

    private final HpaPredictor predictor = new HpaPredictor();

    @Test
    void theLargestCountOverSeveralMetricsWins() {
        Hpa hpa = hpa(1, 50, null, RPS, QUEUE);
        // rps: 1.5 x 4 = 6; queue: ceil(240 / 30) = 8
        Prediction p = predict(hpa, 4, Map.of(RPS.id(), dec(150), QUEUE.id(), dec(240)), new HpaHistory());
        assertThat(p.metricReplicas()).isEqualTo(8);
        assertThat(p.metric()).isEqualTo("queue_messages_ready");
        assertThat(p.desiredReplicas()).isEqualTo(8);
        assertThat(p.extraReplicas()).isEqualTo(4);
    }

    @Test
    void aMetricWithoutAValueIsSkippedAndNoValueAtAllGivesNoPrediction() {
        Hpa hpa = hpa(1, 50, null, RPS, QUEUE);
        assertThat(predict(hpa, 4, Map.of(RPS.id(), dec(150)), new HpaHistory()).desiredReplicas()).isEqualTo(6);
        assertThat(predictor.predict(hpa, 4, Map.of(), new HpaHistory(), NOW)).isEmpty();
        assertThat(predictor.predict(hpa, 4, Map.of("other", dec(1)), new HpaHistory(), NOW)).isEmpty();
    }

    @Test
    void withinToleranceTheHpaStaysWhereItIs() {
        Prediction p = predict(hpa(1, 50, null, RPS), 4, Map.of(RPS.id(), dec(110)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(4);
        assertThat(p.extraReplicas()).isZero();
    }

    /** Without behavior: clamp to [min, min(max, max(2 x current, 4))]. */
    @ParameterizedTest(name = "min {0} max {1}, {2} replicas, rps {3} -> {4} ({5})")
    @CsvSource({
            "1, 100, 4, 1250, 8, ScaleUpLimit",       // wants 50, at most doubles
            "1, 100, 1, 1000, 4, ScaleUpLimit",       // wants 10, at least 4 allowed
            "1, 100, 2, 150, 3, DesiredWithinRange",
            "1, 6, 4, 1250, 6, TooManyReplicas",
            "3, 10, 4, 10, 3, TooFewReplicas",        // wants 1
    })
    void withoutBehaviorTheLegacyLimitsApply(int min, int max, int current, int rps, int expected, String reason) {
        Prediction p = predict(hpa(min, max, null, RPS), current, Map.of(RPS.id(), dec(rps)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(expected);
        assertThat(p.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} replicas with min {1} max {2} -> {3} ({4})")
    @CsvSource({
            "0, 1, 10, 0, ScalingDisabled",
            "12, 1, 10, 10, AboveMaxReplicas",
            "1, 2, 10, 2, BelowMinReplicas",
    })
    void replicasOutsideTheRangeOrAtZeroIgnoreTheMetrics(int current, int min, int max, int expected, String reason) {
        Prediction p = predict(hpa(min, max, null, RPS), current, Map.of(RPS.id(), dec(1000)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(expected);
        assertThat(p.reason()).isEqualTo(reason);
        assertThat(p.fromMetrics()).isFalse();
    }

    @Test
    void minReplicasZeroScalesFromZeroOnAnObjectMetric() {
        HpaMetric queue = new HpaMetric(MetricSourceType.EXTERNAL, "queue", null, MetricTargetType.VALUE, dec(10));
        Prediction p = predict(hpa(0, 10, null, queue), 0, Map.of("queue", dec(25)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(3);
    }

    @Test
    void withoutBehaviorAHigherRecommendationOfTheLastFiveMinutesHolds() {
        HpaHistory history = new HpaHistory();
        history.recommended(9, NOW.minus(Duration.ofMinutes(6)));
        history.recommended(7, NOW.minus(Duration.ofMinutes(2)));
        // wants 5 (rps 83 x 6 = 4.98); the 7 of two minutes ago holds, the 9 of six minutes ago is too old
        Prediction p = predict(hpa(1, 20, null, RPS), 6, Map.of(RPS.id(), dec(83)), history);
        assertThat(p.metricReplicas()).isEqualTo(5);
        assertThat(p.desiredReplicas()).isEqualTo(7);
        assertThat(p.reason()).isEqualTo("ScaleDownStabilized");
    }

    /** behavior: {} gets the API defaults: the larger of 4 pods and 100% per 15s. */
    @ParameterizedTest(name = "{0} replicas, wants {1} -> {2}")
    @CsvSource({
            "4, 50, 8",
            "10, 50, 20",
            "2, 50, 6",
            "10, 13, 13",
    })
    void defaultBehaviorAllowsFourPodsOrDoublingWhicheverIsMore(int current, int wants, int expected) {
        Prediction p = predict(hpa(1, 100, HpaBehavior.DEFAULTS, RPS), current,
                Map.of(RPS.id(), dec(wants * 100L / current)), new HpaHistory());
        assertThat(p.metricReplicas()).isEqualTo(wants);
        assertThat(p.desiredReplicas()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "selectPolicy {0}, {1} replicas -> {2}")
    @CsvSource({
            "MAX, 10, 20",      // Pods 4 -> 14, Percent 100 -> 20
            "MIN, 10, 14",
            "MAX, 2, 6",        // Pods 4 -> 6, Percent 100 -> 4
            "MIN, 2, 4",
            "DISABLED, 10, 10",
    })
    void selectPolicyChoosesBetweenPodsAndPercentPolicies(SelectPolicy select, int current, int expected) {
        ScalingRules up = ScalingRules.scaleUp(null, select,
                List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(100, 60)), null);
        Hpa hpa = hpa(1, 100, new HpaBehavior(up, ScalingRules.SCALE_DOWN_DEFAULTS), RPS);
        Prediction p = predict(hpa, current, Map.of(RPS.id(), dec(1000)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(expected);
    }

    @Test
    void percentPoliciesRoundUp() {
        ScalingRules up = ScalingRules.scaleUp(null, null, List.of(ScalingPolicy.percent(10, 60)), null);
        Hpa hpa = hpa(1, 100, new HpaBehavior(up, ScalingRules.SCALE_DOWN_DEFAULTS), RPS);
        // 3 x 1.1 = 3.3 -> 4
        assertThat(predict(hpa, 3, Map.of(RPS.id(), dec(1000)), new HpaHistory()).desiredReplicas()).isEqualTo(4);
    }

    @Test
    void replicasAddedWithinAPolicyPeriodCountAgainstIt() {
        ScalingRules up = ScalingRules.scaleUp(null, null, List.of(ScalingPolicy.pods(4, 60)), null);
        Hpa hpa = hpa(1, 100, new HpaBehavior(up, ScalingRules.SCALE_DOWN_DEFAULTS), RPS);
        HpaHistory recent = new HpaHistory();
        recent.scaled(6, 10, NOW.minusSeconds(5));
        Prediction limited = predict(hpa, 10, Map.of(RPS.id(), dec(200)), recent);
        assertThat(limited.desiredReplicas()).isEqualTo(10);
        assertThat(limited.reason()).isEqualTo("ScaleUpLimit");

        HpaHistory old = new HpaHistory();
        old.scaled(6, 10, NOW.minusSeconds(60));
        assertThat(predict(hpa, 10, Map.of(RPS.id(), dec(200)), old).desiredReplicas()).isEqualTo(14);

        HpaHistory down = new HpaHistory();
        down.scaled(12, 10, NOW.minusSeconds(5));
        // the period started at 12: 12 + 4
        assertThat(predict(hpa, 10, Map.of(RPS.id(), dec(200)), down).desiredReplicas()).isEqualTo(16);
    }

    @Test
    void aScaleUpStabilisationWindowTakesTheLowestRecentRecommendation() {
        ScalingRules up = ScalingRules.scaleUp(60, null, List.of(ScalingPolicy.percent(900, 15)), null);
        Hpa hpa = hpa(1, 100, new HpaBehavior(up, ScalingRules.SCALE_DOWN_DEFAULTS), RPS);
        HpaHistory history = new HpaHistory();
        history.recommended(4, NOW.minusSeconds(50));
        history.recommended(12, NOW.minusSeconds(20));
        Prediction held = predict(hpa, 4, Map.of(RPS.id(), dec(500)), history);
        assertThat(held.metricReplicas()).isEqualTo(20);
        assertThat(held.desiredReplicas()).isEqualTo(4);
        assertThat(held.reason()).isEqualTo("ScaleUpStabilized");

        HpaHistory later = new HpaHistory();
        later.recommended(4, NOW.minusSeconds(60));
        later.recommended(12, NOW.minusSeconds(20));
        Prediction grown = predict(hpa, 4, Map.of(RPS.id(), dec(500)), later);
        assertThat(grown.desiredReplicas()).isEqualTo(12);
        assertThat(grown.reason()).isEqualTo("ScaleUpStabilized");
    }

    @Test
    void withoutAScaleUpWindowRecentRecommendationsDoNotHoldAScaleUpBack() {
        Hpa hpa = hpa(1, 100, HpaBehavior.DEFAULTS, RPS);
        HpaHistory history = HpaHistory.startingAt(4, NOW.minusSeconds(30));
        history.recommended(4, NOW.minusSeconds(15));
        assertThat(predict(hpa, 4, Map.of(RPS.id(), dec(150)), history).desiredReplicas()).isEqualTo(6);
    }

    @Test
    void maxReplicasCapsABehaviorScaleUp() {
        Prediction p = predict(hpa(1, 7, HpaBehavior.DEFAULTS, RPS), 4, Map.of(RPS.id(), dec(1000)), new HpaHistory());
        assertThat(p.desiredReplicas()).isEqualTo(7);
        assertThat(p.reason()).isEqualTo("TooManyReplicas");
    }

    @Test
    void aScaleUpToleranceInBehaviorReplacesTheDefault() {
        ScalingRules up = ScalingRules.scaleUp(null, null, null, new BigDecimal("0.05"));
        Hpa hpa = hpa(1, 100, new HpaBehavior(up, ScalingRules.SCALE_DOWN_DEFAULTS), RPS);
        assertThat(predict(hpa, 4, Map.of(RPS.id(), dec(106)), new HpaHistory()).desiredReplicas()).isEqualTo(5);
        assertThat(predict(hpa(1, 100, HpaBehavior.DEFAULTS, RPS), 4, Map.of(RPS.id(), dec(106)), new HpaHistory())
                .desiredReplicas()).isEqualTo(4);
    }

    @Test
    void scaleDownFollowsItsStabilisationWindowAndPolicies() {
        HpaHistory history = new HpaHistory();
        history.recommended(10, NOW.minus(Duration.ofMinutes(4)));
        // wants 2 from 10; the 10 of four minutes ago holds within the default 5m window
        Prediction held = predict(hpa(1, 20, HpaBehavior.DEFAULTS, RPS), 10, Map.of(RPS.id(), dec(20)), history);
        assertThat(held.desiredReplicas()).isEqualTo(10);

        ScalingRules down = ScalingRules.scaleDown(0, null, List.of(ScalingPolicy.pods(3, 60)), null);
        Hpa fast = hpa(1, 20, new HpaBehavior(ScalingRules.SCALE_UP_DEFAULTS, down), RPS);
        Prediction p = predict(fast, 10, Map.of(RPS.id(), dec(20)), history);
        assertThat(p.desiredReplicas()).isEqualTo(7);
        assertThat(p.reason()).isEqualTo("ScaleDownLimit");
    }

    @Test
    void scalingRulesFillEachMissingFieldWithTheApiDefault() {
        ScalingRules up = ScalingRules.scaleUp(30, null, List.of(), null);
        assertThat(up.stabilizationWindowSeconds()).isEqualTo(30);
        assertThat(up.selectPolicy()).isEqualTo(SelectPolicy.MAX);
        assertThat(up.policies()).containsExactly(ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15));
        ScalingRules down = ScalingRules.scaleDown(null, SelectPolicy.MIN, null, null);
        assertThat(down.stabilizationWindowSeconds()).isNull();
        assertThat(down.policies()).containsExactly(ScalingPolicy.percent(100, 15));
        assertThat(down.selectPolicy()).isEqualTo(SelectPolicy.MIN);
    }

    private Prediction predict(Hpa hpa, int current, Map<String, BigDecimal> values, HpaHistory history) {
        return predictor.predict(hpa, current, values, history, NOW).orElseThrow();
    }

    private static Hpa hpa(int min, int max, HpaBehavior behavior, HpaMetric... metrics) {
        return new Hpa("shop", "checkout", CHECKOUT, min, max, List.of(metrics), behavior);
    }

    private static BigDecimal dec(long v) {
        return BigDecimal.valueOf(v);
    }
}
