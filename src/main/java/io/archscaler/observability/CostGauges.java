package io.archscaler.observability;

import io.archscaler.controller.HttpEndpoints;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the cost gauges ({@code archscaler_cost_per_hour}, {@code archscaler_all_amd64_cost_per_hour},
 * {@code archscaler_savings_per_hour}, {@code archscaler_nodes}) current: every interval it reads
 * the registered nodes of each group from the status summary and prices them with {@link CostModel}.
 */
public final class CostGauges extends AbstractVerticle {
    private final List<NodeGroup> groups;
    private final ArchscalerMetrics metrics;
    private final Duration interval;
    private long timer = -1;

    /** @param groups the configured groups, whose price and template the cost is computed from */
    public CostGauges(List<NodeGroup> groups, ArchscalerMetrics metrics, Duration interval) {
        this.groups = List.copyOf(groups);
        this.metrics = metrics;
        this.interval = interval;
    }

    @Override
    public void start() {
        refresh();
        timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
    }

    @Override
    public void stop() {
        vertx.cancelTimer(timer);
    }

    /** Reads the status once and sets the gauges. */
    public Future<Void> refresh() {
        return vertx.eventBus().<JsonObject>request(HttpEndpoints.STATUS_ADDRESS, null)
                .map(m -> {
                    record(m.body());
                    return null;
                });
    }

    private void record(JsonObject status) {
        Map<String, Integer> sizes = new HashMap<>();
        status.getJsonArray("nodeGroups").forEach(o -> {
            JsonObject g = (JsonObject) o;
            sizes.put(g.getString("name"), g.getInteger("size", 0));
        });
        Map<String, Integer> nodesByArch = new HashMap<>();
        for (Arch a : Arch.values()) {
            nodesByArch.put(a.label(), 0);
        }
        for (NodeGroup g : groups) {
            nodesByArch.merge(g.arch().label(), sizes.getOrDefault(g.name(), 0), Integer::sum);
        }
        metrics.cost(nodesByArch, CostModel.of(groups, sizes));
    }
}
