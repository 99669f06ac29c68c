package io.archscaler.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline benchmark end to end with a real broker, at a size small enough for a test. */
class PipelineBenchIT {

    @Test
    void everyProducedPodEventIsAppliedAndCoveredByAPlanOrDecision() {
        List<String> progress = new ArrayList<>();

        PipelineResult r = new PipelineBench(400, 0, progress::add).run();

        assertThat(r.complete()).isTrue();
        assertThat(r.covered()).isEqualTo(400);
        assertThat(r.eventsPerSecond()).isPositive();
        assertThat(r.decisions()).isPositive();
        assertThat(r.nodesRequested()).isPositive();
        assertThat(r.eventToDecision().p50()).isPositive().isLessThanOrEqualTo(r.eventToDecision().p99());
        // what is left once the batch wait is taken out never exceeds the whole
        assertThat(r.beyondWindow().p99()).isLessThanOrEqualTo(r.eventToDecision().max());
        JsonObject json = r.toJson();
        assertThat(json.fieldNames()).contains("eventsPerSecond", "eventToDecisionMillis", "latencyBeyondWindowMillis",
                "batchWindowMillis", "cpuMillisByPart");
        assertThat(json.getJsonObject("batchWindowMillis").getLong("idle")).isEqualTo(100);
        assertThat(json.getJsonObject("batchWindowMillis").getLong("max")).isEqualTo(1000);
        assertThat(progress).anyMatch(line -> line.contains("events/s"));
        // then the same number again at a steady 20,000 a second, for the latency below saturation
        assertThat(r.paced()).isNotNull();
        assertThat(r.paced().rate()).isEqualTo(PipelineBench.PACED_RATE);
        assertThat(r.paced().covered()).isEqualTo(400);
        assertThat(r.paced().decisions()).isPositive();
        assertThat(r.allComplete()).isTrue();
        assertThat(json.getJsonObject("paced").getInteger("produceRate")).isEqualTo(20_000);
        assertThat(json.getJsonObject("paced").fieldNames()).contains("eventsPerSecond", "latencyBeyondWindowMillis",
                "batchToDecisionMillis");
    }
}
