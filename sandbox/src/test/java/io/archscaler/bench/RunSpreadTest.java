package io.archscaler.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Medians and spread over runs' JSON results. */
class RunSpreadTest {

    private static JsonObject run(double eventsPerSecond, double p99, double load) {
        return new JsonObject().put("scenario", "pipeline").put("eventsPerSecond", eventsPerSecond)
                .put("paced", new JsonObject().put("latency", new JsonObject().put("p99", p99)))
                .put("sweep", new io.vertx.core.json.JsonArray().add(1))
                .put("machine", new JsonObject().put("loadAverage", load).put("cores", 2));
    }

    @Test
    void eachNumberAtTheSamePathGivesItsMedianLowestAndHighestNestedObjectsIncluded() {
        List<RunSpread.Figure> figures = RunSpread.of(List.of(run(46_875, 50, 1.0), run(80_204, 36, 1.4),
                run(60_326, 30, 0.95)));

        assertThat(figures).extracting(RunSpread.Figure::path).containsExactly("eventsPerSecond", "paced.latency.p99");
        RunSpread.Figure rate = figures.get(0);
        assertThat(rate.median()).isEqualTo(60_326);
        assertThat(rate.min()).isEqualTo(46_875);
        assertThat(rate.max()).isEqualTo(80_204);
        assertThat(rate.spread()).isCloseTo((80_204 - 46_875) / 60_326.0, within(1e-9));
        assertThat(figures.get(1).median()).isEqualTo(36);
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheTwoMiddleOnesAndAPathMissingFromARunIsLeftOut() {
        JsonObject partial = new JsonObject().put("eventsPerSecond", 10);
        List<RunSpread.Figure> figures = RunSpread.of(List.of(run(20, 1, 1), run(40, 2, 2), run(30, 3, 3), partial));

        assertThat(figures).extracting(RunSpread.Figure::path).containsExactly("eventsPerSecond");
        assertThat(figures.get(0).median()).isEqualTo(25);
    }

    @Test
    void theMachineBlockIsNotAFigureButEachRunsLoadIsReportedInOrder() {
        List<JsonObject> runs = List.of(run(1, 1, 2.5), run(1, 1, 0.75));

        assertThat(RunSpread.of(runs)).extracting(RunSpread.Figure::path).doesNotContain("machine.loadAverage");
        assertThat(RunSpread.loadAverages(runs).encode()).isEqualTo("[2.5,0.75]");
        assertThat(RunSpread.toJson(RunSpread.of(runs)).getJsonObject("eventsPerSecond").getDouble("median"))
                .isEqualTo(1.0);
    }

    @Test
    void aMedianOfZeroHasNoRelativeSpread() {
        assertThat(new RunSpread.Figure("x", 0, -1, 1).spread()).isZero();
        assertThat(RunSpread.of(List.of())).isEmpty();
    }
}
