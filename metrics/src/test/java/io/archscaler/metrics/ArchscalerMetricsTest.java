package io.archscaler.metrics;

import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchscalerMetricsTest {
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void cloudCallsWithAndWithoutANodeGroupShareOneFamily() {
        metrics.cloudApiCall("eks", "nodeGroups", "", "success", Duration.ofMillis(40));
        metrics.cloudApiCall("eks", "increaseSize", "arm-general", "InsufficientCapacity", Duration.ofMillis(120));

        String scrape = metrics.scrape();

        assertThat(scrape).contains(
                "archscaler_cloud_api_calls_total{node_group=\"\",operation=\"nodeGroups\",outcome=\"success\",provider=\"eks\"} 1",
                "archscaler_cloud_api_calls_total{node_group=\"arm-general\",operation=\"increaseSize\","
                        + "outcome=\"InsufficientCapacity\",provider=\"eks\"} 1",
                "archscaler_cloud_api_call_duration_seconds_count{node_group=\"arm-general\",operation=\"increaseSize\","
                        + "provider=\"eks\"} 1");
    }

    @Test
    void vertxRegistryIsHandedOutOnlyOnce() {
        assertThat(metrics.vertxRegistry()).isSameAs(metrics.registry());

        assertThatThrownBy(metrics::vertxRegistry)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bind them once");
    }

    @Test
    void costFromTheCostModelSetsCostByArchAndSavings() {
        NodeGroup arm = group("arm", Arch.ARM64, 0.08);
        NodeGroup x86 = group("x86", Arch.AMD64, 0.10);
        CostModel.Cost cost = CostModel.of(List.of(arm, x86), Map.of("arm", 3, "x86", 1));

        metrics.cost(Map.of("arm64", 3, "amd64", 1), cost);

        String scrape = metrics.scrape();
        assertThat(scrape).contains("archscaler_nodes{arch=\"arm64\"} 3", "archscaler_nodes{arch=\"amd64\"} 1",
                "archscaler_all_amd64_cost_per_hour 0.4");
        assertThat(value(scrape, "archscaler_cost_per_hour{arch=\"arm64\"}")).isCloseTo(0.24, within());
        assertThat(value(scrape, "archscaler_cost_per_hour{arch=\"amd64\"}")).isCloseTo(0.10, within());
        assertThat(value(scrape, "archscaler_savings_per_hour")).isCloseTo(0.06, within());
    }

    @Test
    void imageLookupsWebhookReviewsAndKafkaHandlingAreTimedByOutcomeOrTopic() {
        metrics.imageLookup("resolved", Duration.ofMillis(300));
        metrics.imageLookup("hit", Duration.ZERO);
        metrics.webhookReview("patched", Duration.ofMillis(20));
        metrics.kafkaHandled("archscaler.pod-events", Duration.ofMillis(3));

        String scrape = metrics.scrape();

        assertThat(scrape).contains(
                "archscaler_image_lookups_total{outcome=\"resolved\"} 1",
                "archscaler_image_lookups_total{outcome=\"hit\"} 1",
                "archscaler_image_lookup_duration_seconds_count{outcome=\"resolved\"} 1",
                "archscaler_webhook_reviews_total{outcome=\"patched\"} 1",
                "archscaler_webhook_review_duration_seconds_count{outcome=\"patched\"} 1",
                "archscaler_kafka_event_handling_duration_seconds_count{topic=\"archscaler.pod-events\"} 1");
    }

    @Test
    void pendingToScaleUpBucketsReachHalfAnHour() {
        metrics.pendingToScaleUp(Duration.ofMinutes(20));

        String scrape = metrics.scrape();

        // a 20-minute wait falls in a finite bucket, so p99 reads 20 minutes rather than the top bucket
        assertThat(scrape).containsPattern("archscaler_pending_to_scale_up_seconds_bucket\\{le=\"1[0-9]{3}\\.[0-9]+\"} 1");
    }

    @Test
    void failedScaleUpCountsAndStampsTheTimeOfTheFailure() {
        MockClock clock = new MockClock();
        clock.add(Duration.ofSeconds(1_800_000_000L).minusMillis(clock.wallTime()));
        try (ArchscalerMetrics m = new ArchscalerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock))) {
            m.failedScaleUp("arm", "arm64", "spot", "InsufficientCapacity");

            String scrape = m.scrape();

            assertThat(scrape).contains("archscaler_failed_scale_ups_total{arch=\"arm64\",capacity_type=\"spot\","
                    + "node_group=\"arm\",reason=\"InsufficientCapacity\"} 1");
            assertThat(value(scrape, "archscaler_last_failed_scale_up_timestamp_seconds{arch=\"arm64\","
                    + "capacity_type=\"spot\",node_group=\"arm\",reason=\"InsufficientCapacity\"}"))
                    .isCloseTo(1.8e9, within());
        }
    }

    @Test
    void scaleUpsNodesAndFallbacksCarryTheGroupsCapacityType() {
        metrics.scaleUp("arm-spot", "arm64", "spot", "pending_pods", 3);
        metrics.scaleUp("arm-od", "arm64", "on-demand", "pending_pods", 1);
        metrics.fallbacks("x86-spot", "amd64", "spot", "offering_unavailable", 4);

        String scrape = metrics.scrape();

        assertThat(scrape).contains(
                "archscaler_scale_ups_total{arch=\"arm64\",capacity_type=\"spot\",node_group=\"arm-spot\","
                        + "reason=\"pending_pods\"} 1",
                "archscaler_scale_ups_total{arch=\"arm64\",capacity_type=\"on-demand\",node_group=\"arm-od\","
                        + "reason=\"pending_pods\"} 1",
                "archscaler_scaled_up_nodes_total{arch=\"arm64\",capacity_type=\"spot\",node_group=\"arm-spot\"} 3",
                "archscaler_fallbacks_total{arch=\"amd64\",capacity_type=\"spot\",node_group=\"x86-spot\","
                        + "reason=\"offering_unavailable\"} 4");
    }

    @Test
    void jvmAndProcessMetersAreBound() {
        String scrape = metrics.scrape();

        assertThat(scrape).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "jvm_info", "process_uptime_seconds", "process_files_open_files");
    }

    private static NodeGroup group(String name, Arch arch, double price) {
        Resources allocatable = Resources.of(2000, 8L << 30);
        return new NodeGroup(name, "simulated", arch, 0, 10, 0, NodeGroup.defaultWeight(arch), null, price,
                new NodeTemplate(allocatable, Map.of(), List.of()));
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape"));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
