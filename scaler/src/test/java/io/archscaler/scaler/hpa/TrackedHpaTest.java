package io.archscaler.scaler.hpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The state kept per HPA, one event at a time, as tables. */
class TrackedHpaTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final WorkloadRef CHECKOUT = new WorkloadRef("shop", "Deployment", "checkout");
    private static final HpaMetric RPS = new HpaMetric(MetricSourceType.PODS, "rps", null,
            MetricTargetType.AVERAGE_VALUE, BigDecimal.TEN);
    private static final Hpa HPA = new Hpa("shop", "checkout", CHECKOUT, 1, 100, List.of(RPS), HpaBehavior.DEFAULTS);

    @ParameterizedTest(name = "workload {0}, status {1}: current {2}")
    @CsvSource(nullValues = "-", value = {
            // workload, status.currentReplicas, current replicas
            "4, 3, 4",   // the workload's spec is fresher than the HPA's status
            "-, 3, 3",
            "4, -, 4",
            "-, -, -",
    })
    void currentReplicasPreferTheWorkloads(Integer workload, Integer statusCurrent, Integer expected) {
        TrackedHpa t = TrackedHpa.first(HPA, new ReplicaStatus(statusCurrent, null), workload, NOW);

        assertThat(t.currentReplicas(workload)).isEqualTo(expected);
        // the history starts, as the controller's does, with the current replicas as a recommendation
        assertThat(t.history().recommendations()).extracting(HpaHistory.Recommendation::replicas)
                .containsExactlyElementsOf(expected == null ? List.of() : List.of(expected));
    }

    @ParameterizedTest(name = "desired {0} -> {1}, predicted {2}: acted {3}")
    @CsvSource(nullValues = "-", value = {
            // last desired, seen desired, last prediction, acted (previous/predicted/actual)
            "3, 5, 6, 3/6/5",
            "3, 3, 6, -",       // no change: nothing to check
            "3, -, 6, -",       // a status without desired replicas says nothing
            "-, 5, 6, -",       // no desired replicas known before
            "3, 5, -, -",       // nothing predicted yet
    })
    void theHpaActedWhenItsDesiredReplicasChangedAfterAPrediction(Integer lastDesired, Integer seenDesired,
                                                                   Integer predicted, String acted) {
        TrackedHpa t = TrackedHpa.first(HPA, new ReplicaStatus(3, lastDesired), 3, NOW);
        if (predicted != null) {
            t = t.predicted(new Prediction(3, predicted, predicted, "rps", "metrics", true), NOW);
        }

        assertThat(t.acted(new ReplicaStatus(3, seenDesired))
                .map(a -> a.previousReplicas() + "/" + a.predictedReplicas() + "/" + a.actualReplicas()))
                .isEqualTo(Optional.ofNullable(acted));
    }

    @ParameterizedTest(name = "held desired {0}, seen {1}: keeps {2}")
    @CsvSource(nullValues = "-", value = {
            "3, 5, 5",
            "3, -, 3",   // the last known desired replicas stay
            "-, -, -",
    })
    void observingKeepsTheLastKnownDesiredReplicas(Integer held, Integer seen, Integer kept) {
        TrackedHpa t = TrackedHpa.first(HPA, new ReplicaStatus(2, held), null, NOW)
                .observed(HPA, new ReplicaStatus(4, seen));

        assertThat(t.status()).isEqualTo(new ReplicaStatus(4, kept));
    }

    @ParameterizedTest(name = "held at +{0}s, sample at +{1}s: value {2}")
    @CsvSource({
            // held value's time, new sample's time, value held after
            "10, 20, 2",
            "10, 10, 2",   // the same time: the later arrival wins
            "20, 10, 1",   // a late sample does not overwrite a newer value
    })
    void theNewestValueOfAMetricIsKept(long heldAt, long sampleAt, int kept) {
        TrackedHpa t = TrackedHpa.first(HPA, ReplicaStatus.NONE, 1, NOW)
                .sampled("rps", BigDecimal.ONE, NOW.plusSeconds(heldAt))
                .sampled("rps", BigDecimal.valueOf(2), NOW.plusSeconds(sampleAt));

        assertThat(t.values().get("rps").value()).isEqualByComparingTo(BigDecimal.valueOf(kept));
    }

    @ParameterizedTest(name = "a value {0}s old with max age {1}s is fresh: {2}")
    @CsvSource({
            "0, 60, true",
            "60, 60, true",
            "61, 60, false",
    })
    void onlyFreshValuesArePredictedFrom(long age, long maxAge, boolean fresh) {
        TrackedHpa t = TrackedHpa.first(HPA, ReplicaStatus.NONE, 1, NOW)
                .sampled("rps", BigDecimal.ONE, NOW.minusSeconds(age));

        assertThat(t.freshValues(NOW, Duration.ofSeconds(maxAge)).containsKey("rps")).isEqualTo(fresh);
    }

    @ParameterizedTest(name = "from metrics {0}: recommendations {1}")
    @CsvSource({
            "true, 2",    // the starting replicas and the new recommendation
            "false, 1",   // a prediction not from metrics is not the controller's recommendation
    })
    void onlyAPredictionFromMetricsEntersTheHistory(boolean fromMetrics, int recommendations) {
        TrackedHpa t = TrackedHpa.first(HPA, ReplicaStatus.NONE, 3, NOW)
                .predicted(new Prediction(3, 7, 7, "rps", "metrics", fromMetrics), NOW.plusSeconds(15));

        assertThat(t.history().recommendations()).hasSize(recommendations);
        assertThat(t.last()).isEqualTo(new TrackedHpa.Predicted(
                new Prediction(3, 7, 7, "rps", "metrics", fromMetrics), NOW.plusSeconds(15)));
    }

    @Test
    void anHpaScalingAnotherWorkloadIsRetargeted() {
        TrackedHpa t = TrackedHpa.first(HPA, ReplicaStatus.NONE, 3, NOW);
        Hpa other = new Hpa("shop", "checkout", new WorkloadRef("shop", "StatefulSet", "checkout"), 1, 100,
                List.of(RPS), HpaBehavior.DEFAULTS);

        assertThat(t.retargetedBy(HPA)).isFalse();
        assertThat(t.retargetedBy(other)).isTrue();
    }
}
