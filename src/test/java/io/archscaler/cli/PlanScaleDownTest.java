package io.archscaler.cli;

import io.archscaler.Main;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code archscaler plan} reporting the nodes scale-down would remove. */
class PlanScaleDownTest {
    private static final String IDLE_NODE = "ip-10-0-2-91.us-west-2.compute.internal";
    private static final String REASON = "underutilized: cpu 26%, memory 14% of allocatable requested, below 50%;"
            + " 1 pod fits arm64 room";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void anIdleAmd64NodeWhosePodFitsArm64IsScaledDown() {
        int code = run(Main.commandLine(), "plan", "-c", fixture("config.yaml"), "-s", fixture("state-idle-amd64.yaml"),
                "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(new JsonObject(out.toString())).isEqualTo(new JsonObject("""
                {"scaleUps": [], "unschedulable": [],
                 "scaleDowns": [{"nodeGroup": "x86-general", "node": "%s", "reason": "%s"}],
                 "restores": [],
                 "notRestored": [{"node": "ip-10-0-2-45.us-west-2.compute.internal", "nodeGroup": "x86-general",
                                  "reason": "PodNeedsAmd64",
                                  "detail": "pod shop/payments-legacy-0: it may run only on [amd64]"}]}"""
                .formatted(IDLE_NODE, REASON)));
    }

    @Test
    void theTableHasAScaleDownSection() {
        run(Main.commandLine(), "plan", "-c", fixture("config.yaml"), "-s", fixture("state-idle-amd64.yaml"));

        assertThat(out.toString()).isEqualTo("""
                SCALE-DOWN GROUP  NODE                                     REASON
                x86-general       %s  %s

                Plan: 0 scale-ups (+0 nodes), 0 unschedulable pods, 1 scale-down, 0 pending pods fit existing capacity.
                """.formatted(IDLE_NODE, REASON));
    }

    @Test
    void aNodeCreatedWithinDelayAfterAddOfTheSnapshotStays(@TempDir Path dir) throws IOException {
        // the snapshot's newest timestamp is the 09:58:41 heartbeat: five minutes after the node came up
        Path state = copyWith(dir, "creationTimestamp: \"2025-11-21T16:40:12Z\"", "creationTimestamp: \"2025-11-22T09:53:41Z\"");
        run(Main.commandLine(), "plan", "-c", fixture("config.yaml"), "-s", state.toString(), "-o", "json");

        assertThat(new JsonObject(out.toString()).getJsonArray("scaleDowns")).isEmpty();
    }

    @Test
    void aBudgetThatAllowsNoDisruptionKeepsTheNode(@TempDir Path dir) throws IOException {
        Path state = copyWith(dir, "disruptionsAllowed: 1", "disruptionsAllowed: 0");
        run(Main.commandLine(), "plan", "-c", fixture("config.yaml"), "-s", state.toString(), "-o", "json");

        assertThat(new JsonObject(out.toString()).getJsonArray("scaleDowns")).isEmpty();
    }

    @Test
    void aSnapshotWithoutAnyTimestampIsPlannedAtTheClocksTimeWithNoNodeRecentlyAdded(@TempDir Path dir)
            throws IOException {
        String yaml = Files.readString(Path.of(fixture("state-idle-amd64.yaml")))
                .replaceAll("(?m)^\\s*(lastHeartbeatTime|lastTransitionTime|creationTimestamp): .*\\n", "");
        assertThat(yaml).doesNotContain("2025-");
        Path state = Files.writeString(dir.resolve("state.yaml"), yaml);

        int code = run(new CommandLine(new PlanCommand(Clock.fixed(Instant.parse("2025-11-22T10:00:00Z"), ZoneOffset.UTC))),
                "-c", fixture("config.yaml"), "-s", state.toString(), "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(new JsonObject(out.toString()).getJsonArray("scaleDowns")).hasSize(1);
    }

    private Path copyWith(Path dir, String from, String to) throws IOException {
        String yaml = Files.readString(Path.of(fixture("state-idle-amd64.yaml")));
        assertThat(yaml).contains(from);
        return Files.writeString(dir.resolve("state.yaml"), yaml.replace(from, to));
    }

    private int run(CommandLine cmd, String... args) {
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static String fixture(String name) {
        try {
            return Path.of(PlanScaleDownTest.class.getResource("/plan/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
