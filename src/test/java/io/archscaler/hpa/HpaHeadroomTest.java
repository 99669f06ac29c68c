package io.archscaler.hpa;

import io.archscaler.testing.MutableClock;

import io.archscaler.events.MetricSample;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.hpa.HeadroomBook;
import io.archscaler.scaler.hpa.WorkloadRef;
import io.archscaler.scaler.model.PendingPod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.archscaler.hpa.HpaObjects.deployment;
import static io.archscaler.hpa.HpaObjects.hpa;
import static io.archscaler.hpa.HpaObjects.pod;
import static io.archscaler.hpa.HpaObjects.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

class HpaHeadroomTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final WorkloadRef CHECKOUT = new WorkloadRef("shop", "Deployment", "checkout");
    private static final String RPS = "http_requests_per_second";

    private final MutableClock clock = new MutableClock(T0);
    private final HpaHeadroom headroom = new HpaHeadroom("prod", Duration.ofMinutes(5), KubePods::toPendingPod, clock);

    @Test
    void aRisingMetricBooksHeadroomPodsBuiltFromTheDeploymentsTemplate() {
        known(4);

        HpaHeadroom.Forecast f = headroom.onSample(sample(RPS, 200)).orElseThrow();

        assertThat(f.hpa()).isEqualTo("shop/checkout");
        assertThat(f.workload()).isEqualTo(CHECKOUT);
        assertThat(f.prediction().currentReplicas()).isEqualTo(4);
        assertThat(f.prediction().desiredReplicas()).isEqualTo(8);
        assertThat(f.headroomPods()).isEqualTo(4);
        assertThat(headroom.headroomPods()).extracting(PendingPod::key).containsExactly("shop/checkout-headroom-0",
                "shop/checkout-headroom-1", "shop/checkout-headroom-2", "shop/checkout-headroom-3");
        assertThat(headroom.headroomPods()).allSatisfy(p -> {
            assertThat(p.ownerKey()).isEqualTo("Deployment/checkout");
            assertThat(p.requests().cpuMillis()).isEqualTo(500);
            assertThat(p.requests().memoryBytes()).isEqualTo(1L << 30);
            assertThat(p.nodeSelector()).containsEntry("kubernetes.io/arch", "arm64");
        });
        assertThat(headroom.headroomPodKeys()).contains("shop/checkout-headroom-3");
        assertThat(headroom.headroomPodKeys()).doesNotContain("shop/checkout-headroom-4");
        assertThat(headroom.predictedReplicas()).containsExactly(Map.entry("shop/checkout", 8));
    }

    @Test
    void theRealPodsOfTheDeploymentReleaseTheHeadroomOneByOne() {
        known(4);
        headroom.onSample(sample(RPS, 200));
        clock.advance(Duration.ofSeconds(40));
        headroom.onObject(deployment(8), false);
        headroom.onObject(replicaSet(8), false);

        Instant created = T0.plusSeconds(40);
        assertThat(headroom.onPodSeen(pod("checkout-7d9f8c6b5-aaaaa", created))).hasValueSatisfying(a -> {
            assertThat(a.workload()).isEqualTo(CHECKOUT);
            assertThat(a.remaining()).isEqualTo(3);
            assertThat(Duration.between(a.recordedAt(), a.arrivedAt())).isEqualTo(Duration.ofSeconds(40));
        });
        // the same pod seen again, now scheduled, does not count twice
        assertThat(headroom.onPodSeen(pod("checkout-7d9f8c6b5-aaaaa", created))).isEmpty();
        // a pod of the Deployment that existed before the prediction does not count
        assertThat(headroom.onPodSeen(pod("checkout-7d9f8c6b5-older", T0.minusSeconds(3600)))).isEmpty();
        headroom.onPodSeen(pod("checkout-7d9f8c6b5-bbbbb", created));
        headroom.onPodSeen(pod("checkout-7d9f8c6b5-ccccc", created));
        assertThat(headroom.headroomPods()).hasSize(1);
        headroom.onPodSeen(pod("checkout-7d9f8c6b5-ddddd", created));
        assertThat(headroom.headroomPods()).isEmpty();
    }

    @Test
    void podsAreMatchedToTheirDeploymentByPodTemplateHashWhenTheReplicaSetIsNotKnown() {
        headroom.onObject(hpa(4), false);
        headroom.onObject(deployment(4), false);
        headroom.onSample(sample(RPS, 200));
        assertThat(headroom.onPodSeen(pod("checkout-7d9f8c6b5-aaaaa", T0))).isPresent();
        assertThat(headroom.headroomPods()).hasSize(3);
    }

    @Test
    void headroomTheHpaDoesNotClaimIsReleasedAfterTheTtl() {
        known(4);
        headroom.onSample(sample(RPS, 200));
        clock.advance(Duration.ofMinutes(5));
        assertThat(headroom.headroomPods()).isEmpty();
        assertThat(headroom.headroom()).isEmpty();
    }

    @Test
    void theHpaActingIsCheckedAgainstTheLastPrediction() {
        known(4);
        headroom.onSample(sample(RPS, 150));
        clock.advance(Duration.ofSeconds(15));
        headroom.onSample(sample(RPS, 180));
        clock.advance(Duration.ofSeconds(20));

        HpaHeadroom.PredictionCheck check = headroom.onObject(hpa(8), false).orElseThrow();

        assertThat(check.hpa()).isEqualTo("shop/checkout");
        assertThat(check.previousReplicas()).isEqualTo(4);
        assertThat(check.predictedReplicas()).isEqualTo(8);
        assertThat(check.actualReplicas()).isEqualTo(8);
        assertThat(check.error()).isZero();
        assertThat(Duration.between(check.predictedAt(), check.observedAt())).isEqualTo(Duration.ofSeconds(20));
        // an update that leaves desiredReplicas alone checks nothing
        assertThat(headroom.onObject(hpa(8), false)).isEmpty();
    }

    @Test
    void replicaChangesOfTheWorkloadCountAgainstTheHpasRatePolicies() {
        headroom.onObject(HpaObjects.withBehavior(hpa(4), 4), false);
        headroom.onObject(deployment(4), false);
        clock.advance(Duration.ofSeconds(10));
        headroom.onObject(deployment(8), false);
        clock.advance(Duration.ofSeconds(10));
        // wants 16 from 8, but 4 were added within the 60s period of "4 pods per minute"
        HpaHeadroom.Forecast f = headroom.onSample(sample(RPS, 200)).orElseThrow();
        assertThat(f.prediction().metricReplicas()).isEqualTo(16);
        assertThat(f.prediction().desiredReplicas()).isEqualTo(8);
        assertThat(f.headroomPods()).isZero();
        clock.advance(Duration.ofSeconds(50));
        assertThat(headroom.onSample(sample(RPS, 200)).orElseThrow().prediction().desiredReplicas()).isEqualTo(12);
    }

    @Test
    void samplesForOtherClustersUnknownHpasOrMetricsPredictNothing() {
        known(4);
        assertThat(headroom.onSample(new MetricSample("staging", "shop", "checkout", RPS, 500, T0))).isEmpty();
        assertThat(headroom.onSample(new MetricSample("prod", "shop", "cart", RPS, 500, T0))).isEmpty();
        assertThat(headroom.onSample(sample("queue_length", 500))).isEmpty();
        assertThat(headroom.headroomPods()).isEmpty();
    }

    @Test
    void aValueOlderThanTheTtlNoLongerCounts() {
        known(4);
        assertThat(headroom.onSample(new MetricSample("prod", "shop", "checkout", RPS, 500, T0.minusSeconds(600))))
                .isEmpty();
    }

    @Test
    void withoutTheWorkloadTheHpaStatusGivesTheCurrentReplicasButNoHeadroomIsBooked() {
        headroom.onObject(hpa(4), false);
        HpaHeadroom.Forecast f = headroom.onSample(sample(RPS, 200)).orElseThrow();
        assertThat(f.prediction().desiredReplicas()).isEqualTo(8);
        assertThat(f.headroomPods()).isZero();
    }

    @Test
    void deletingTheHpaOrTheWorkloadWithdrawsItsHeadroom() {
        known(4);
        headroom.onSample(sample(RPS, 200));
        headroom.onObject(hpa(4), true);
        assertThat(headroom.headroomPods()).isEmpty();
        assertThat(headroom.onSample(sample(RPS, 300))).isEmpty();

        headroom.onObject(hpa(4), false);
        headroom.onSample(sample(RPS, 200));
        assertThat(headroom.headroomPods()).hasSize(4);
        headroom.onObject(deployment(4), true);
        assertThat(headroom.headroomPods()).isEmpty();
    }

    @Test
    void anHpaThatCannotBeReadIsReportedAndNotPlanned() {
        HorizontalPodAutoscaler bad = new HorizontalPodAutoscalerBuilder(hpa(4)).editSpec().editFirstMetric()
                .withType("Prometheus").endMetric().endSpec().build();
        headroom.onObject(bad, false);
        headroom.onObject(deployment(4), false);
        assertThat(headroom.invalidHpas()).containsOnlyKeys("shop/checkout");
        assertThat(headroom.invalidHpas().get("shop/checkout")).contains("unknown metric type \"Prometheus\"");
        assertThat(headroom.onSample(sample(RPS, 200))).isEmpty();
        headroom.onObject(hpa(4), false);
        assertThat(headroom.invalidHpas()).isEmpty();
    }

    @Test
    void aNewTemplateRevisionChangesTheHeadroomPods() {
        known(4);
        headroom.onSample(sample(RPS, 200));
        var bigger = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(deployment(4)).editSpec().editTemplate()
                .editSpec().editFirstContainer().editResources()
                .withRequests(Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("2")))
                .endResources().endContainer().endSpec().endTemplate().endSpec().build();
        headroom.onObject(bigger, false);
        assertThat(headroom.headroomPods()).hasSize(4).allSatisfy(p -> assertThat(p.requests().cpuMillis()).isEqualTo(2000));
        assertThat(headroom.headroom()).singleElement().extracting(HeadroomBook.Entry::remaining).isEqualTo(4);
    }

    private void known(int replicas) {
        headroom.onObject(hpa(replicas), false);
        headroom.onObject(deployment(replicas), false);
        headroom.onObject(replicaSet(replicas), false);
    }

    private MetricSample sample(String metric, double value) {
        return new MetricSample("prod", "shop", "checkout", metric, value, clock.instant());
    }
}
