package io.archscaler.observability;

import io.archscaler.controller.HttpEndpoints;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The cost gauges, priced from the registered nodes the status summary reports per group. */
class CostGaugesTest {
    private final Vertx vertx = Vertx.vertx();
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
    }

    @Test
    void registeredNodesArePricedByArchAgainstAnAllAmd64Cluster() throws Exception {
        vertx.eventBus().consumer(HttpEndpoints.STATUS_ADDRESS, m -> m.reply(new JsonObject().put("nodeGroups",
                new JsonArray().add(group("arm", 4)).add(group("x86", 1)).add(group("gone", 7)))))
                .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CostGauges gauges = new CostGauges(List.of(nodeGroup("arm", Arch.ARM64, 0.08), nodeGroup("x86", Arch.AMD64, 0.10)),
                metrics, Duration.ofHours(1));
        vertx.deployVerticle(gauges).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        gauges.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        // 4 arm64 nodes at 0.08 and one amd64 at 0.10; on amd64 only, 5 nodes at 0.10 (same cpu per node).
        // "gone" is not a configured group and is not priced.
        Map<String, Double> values = Map.of(
                "archscaler_nodes{arch=\"arm64\"}", 4.0,
                "archscaler_nodes{arch=\"amd64\"}", 1.0,
                "archscaler_cost_per_hour{arch=\"arm64\"}", 0.32,
                "archscaler_cost_per_hour{arch=\"amd64\"}", 0.10,
                "archscaler_all_amd64_cost_per_hour", 0.50,
                "archscaler_savings_per_hour", 0.08);
        String scrape = metrics.scrape();
        values.forEach((series, expected) -> assertThat(value(scrape, series)).as(series)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9)));
    }

    private static JsonObject group(String name, int size) {
        return new JsonObject().put("name", name).put("size", size);
    }

    private static NodeGroup nodeGroup(String name, Arch arch, double price) {
        return new NodeGroup(name, "simulated", arch, 0, 10, 0, NodeGroup.defaultWeight(arch), null, price,
                new NodeTemplate(Resources.of(2000, 8L << 30), Map.of(), List.of()));
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape"));
    }
}
