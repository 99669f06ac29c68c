package io.archscaler.bench;

import io.archscaler.sandbox.SandboxMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code archscaler bench} end to end through picocli, at sizes small enough for a test. */
class BenchCommandTest {
    private static final List<String> FIELDS = List.of("pods", "nodeGroups", "nodes", "planMillis", "podsPerSecond",
            "nodesPlanned", "lowerBoundNodes", "heapUsedMiB", "allocatedBytesPerPod");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42})
    void aSmallRunPrintsATableThenOneJsonObjectWithinFivePercentOfTheLowerBound(long seed) {
        int code = run("bench", "--pods", "500", "--node-groups", "8", "--nodes", "100", "--classes", "20", "--runs", "2",
                "--warmup", "0", "--seed", Long.toString(seed), "--output", "json");

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("SCENARIO");
        JsonObject json = lastLine();
        assertThat(json.fieldNames()).containsAll(FIELDS);
        assertThat(json.getInteger("pods")).isEqualTo(500);
        assertThat(json.getInteger("nodeGroups")).isEqualTo(8);
        assertThat(json.getInteger("nodes")).isEqualTo(100);
        JsonObject millis = json.getJsonObject("planMillis");
        assertThat(millis.getDouble("p50")).isPositive().isLessThanOrEqualTo(millis.getDouble("p99"));
        assertThat(json.getLong("podsPerSecond")).isPositive();
        assertThat(json.getLong("allocatedBytesPerPod")).isPositive();
        assertThat(json.getDouble("heapUsedMiB")).isPositive();
        long bound = json.getLong("lowerBoundNodes");
        assertThat(bound).isPositive().isGreaterThanOrEqualTo(json.getLong("volumeBoundNodes"));
        assertThat(json.getLong("nodesPlanned")).isGreaterThanOrEqualTo(bound)
                .isLessThanOrEqualTo((long) Math.floor(bound * 1.05));
        assertThat(json.getInteger("podsOnNewNodes") + json.getInteger("podsOnExistingCapacity")
                + json.getInteger("podsUnschedulable")).isEqualTo(500);
    }

    @Test
    void theSweepRunsEverySizeAndFitsTheGrowthExponent() {
        int code = run("bench", "--sweep", "--node-groups", "6", "--nodes", "20", "--classes", "10", "--runs", "1",
                "--warmup", "0", "--pods", "5000", "--output", "json");

        assertThat(code).isZero();
        JsonObject json = lastLine();
        JsonArray sweep = json.getJsonArray("sweep");
        assertThat(sweep.stream().map(o -> ((JsonObject) o).getInteger("pods")))
                .containsExactly(1_000, 5_000, 10_000, 20_000, 50_000);
        sweep.forEach(o -> assertThat(((JsonObject) o).fieldNames()).containsAll(FIELDS));
        assertThat(json.getInteger("pods")).isEqualTo(5_000);
        assertThat(json.getDouble("growthExponent")).isNotNull();
        assertThat(out.toString()).contains("growth exponent");
    }

    @Test
    void theClusterAutoscalerBinpackingScenarioNeeds2595Nodes() {
        int code = run("bench", "--scenario", "ca-binpacking", "--runs", "1", "--warmup", "0", "--output", "json");

        assertThat(code).isZero();
        JsonObject json = lastLine();
        assertThat(json.getInteger("pods")).isEqualTo(51_000);
        assertThat(json.getInteger("expectedNodes")).isEqualTo(2595);
        assertThat(json.getLong("nodesPlanned")).isEqualTo(2595);
        assertThat(json.getBoolean("correct")).isTrue();
        assertThat(json.getJsonObject("planMillis").fieldNames()).contains("p50", "p99");
        assertThat(json.fieldNames()).containsAll(FIELDS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--node-groups 5                | --node-groups must be even and at least 6",
            "--pods 0                       | --pods must be at least 1",
            "--runs 0                       | --runs must be at least 1",
            "--scenario nope                | unknown --scenario \"nope\" (known: ca-binpacking)",
            "--sweep --pipeline             | choose one of --sweep, --scenario, --pipeline, --soak and --e2e",
            "--soak 60s --e2e               | choose one of --sweep, --scenario, --pipeline, --soak and --e2e",
            "--e2e --e2e-pods 1000,0        | --e2e-pods takes sizes from 1 to 60,000 (got [1000, 0])",
            "--e2e --runs 0                 | --runs must be at least 1",
            "--e2e --registration-delay x   | --registration-delay expects a duration such as 10s (got \"x\")",
            "--soak soon                    | --soak expects a duration such as 60s or 5m (got \"soon\")",
            "--soak 3s                      | --soak must be at least 10s",
            "--pipeline --events 0          | --events must be at least 1",
            "--pipeline --rate -5           | --rate must not be negative"})
    void badOptionsAreRefusedWithAMessageNamingThem(String options, String message) {
        String[] args = ("bench " + options.trim()).split(" +");

        int code = run(args);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("archscaler: ").contains(message);
    }

    @Test
    void repeatRunsTheSameBenchmarkInFreshJvmsAndReportsEachFiguresMedianAndSpread() {
        int code = run("bench", "--pods", "300", "--node-groups", "6", "--nodes", "50", "--classes", "10", "--runs", "2",
                "--warmup", "0", "--repeat", "3", "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonObject json = lastLine();
        assertThat(json.getInteger("repeat")).isEqualTo(3);
        JsonArray runs = json.getJsonArray("runs");
        assertThat(runs).hasSize(3);
        runs.forEach(r -> assertThat(((JsonObject) r).getInteger("pods")).isEqualTo(300));
        assertThat(json.getJsonArray("loadAverages")).hasSize(3);
        JsonObject p50 = json.getJsonObject("median").getJsonObject("planMillis.p50");
        assertThat(p50.getDouble("min")).isPositive().isLessThanOrEqualTo(p50.getDouble("median"));
        assertThat(p50.getDouble("median")).isLessThanOrEqualTo(p50.getDouble("max"));
        // the same seed plans the same nodes in every run: no spread there
        JsonObject nodes = json.getJsonObject("median").getJsonObject("nodesPlanned");
        assertThat(nodes.getDouble("min")).isEqualTo(nodes.getDouble("max"));
        assertThat(out.toString()).contains("3 runs, each in a fresh JVM").contains("FIGURE").contains("planMillis.p99");
        // each run's own table went to stderr, as progress
        assertThat(err.toString()).contains("run 3 of 3 in a fresh JVM").contains("SCENARIO");
    }

    @Test
    void repeatBelowOneIsRefused() {
        int code = run("bench", "--repeat", "0");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--repeat must be at least 1");
    }

    private int run(String... args) {
        CommandLine cmd = SandboxMain.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    private JsonObject lastLine() {
        String[] lines = out.toString().strip().split("\n");
        return new JsonObject(lines[lines.length - 1]);
    }
}
