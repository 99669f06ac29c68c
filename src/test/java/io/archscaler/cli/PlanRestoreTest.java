package io.archscaler.cli;

import io.archscaler.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code archscaler plan} reporting the amd64 nodes it would empty onto arm64: after a shortage,
 * three checkout pods sit on the amd64 node the planner fell back to; the arm64 node has room for
 * two of them, so one m7g.large is added and one m5.large goes.
 */
class PlanRestoreTest {
    private static final String FALLBACK_NODE = "ip-10-0-2-77.us-west-2.compute.internal";
    private static final String LEGACY_NODE = "ip-10-0-2-45.us-west-2.compute.internal";
    private static final String CHECKOUT = "shop/checkout-7c9f5d8b4-";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theFallbackNodeIsRestoredToArm64WithItsSavingPerHour() {
        int code = run("plan", "-c", fixture("config.yaml"), "-s", fixture("state-after-fallback.yaml"), "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        // m5.large $0.096/h goes, one m7g.large $0.0816/h comes: $0.0144/h
        assertThat(new JsonObject(out.toString())).isEqualTo(new JsonObject("""
                {"scaleUps": [], "unschedulable": [], "scaleDowns": [],
                 "restores": [{"node": "%1$s", "nodeGroup": "x86-general", "reason": "restore",
                               "pods": ["%2$sk7m4x", "%2$sp3n8z", "%2$sq2w9d"],
                               "newNodes": [{"nodeGroup": "arm-general", "arch": "arm64", "from": 1, "to": 2,
                                             "pods": ["%2$sq2w9d"]}],
                               "onExistingRoom": ["%2$sk7m4x", "%2$sp3n8z"],
                               "savingPerHour": 0.0144}],
                 "notRestored": [{"node": "%3$s", "nodeGroup": "x86-general", "reason": "PodNeedsAmd64",
                                  "detail": "pod shop/payments-legacy-0: it may run only on [amd64]"}]}"""
                .formatted(FALLBACK_NODE, CHECKOUT, LEGACY_NODE)));
    }

    @Test
    void theTableListsTheMoveAndWhatItSaves() {
        run("plan", "-c", fixture("config.yaml"), "-s", fixture("state-after-fallback.yaml"));

        assertThat(out.toString()).isEqualTo("""
                MOVE TO ARM64  GROUP        REASON   NEW ARM64 NODES  SAVING/H  PODS
                %s  x86-general  restore  arm-general +1   $0.0144   %sk7m4x, %sp3n8z, %sq2w9d
                Moves to arm64: 1 node, saving $0.0144 per hour.

                Plan: 0 scale-ups (+0 nodes), 0 unschedulable pods, 0 scale-downs, 0 pending pods fit existing capacity.
                """.formatted(FALLBACK_NODE, CHECKOUT, CHECKOUT, CHECKOUT).replace("MOVE TO ARM64  ",
                "MOVE TO ARM64" + " ".repeat(FALLBACK_NODE.length() - "MOVE TO ARM64".length() + 2)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "images: {onUnknown: assume-amd64}              | UnknownImages",
            "scaleDown: {restore: {minSavingPerHour: 0.02}} | SavingTooSmall"})
    void theFallbackNodeStays(String config, String reason, @TempDir Path dir) throws IOException {
        run("plan", "-c", configWith(dir, config + "\n").toString(), "-s", fixture("state-after-fallback.yaml"),
                "-o", "json");

        JsonObject plan = new JsonObject(out.toString());
        assertThat(plan.getJsonArray("restores")).isEmpty();
        assertThat(reasonOf(plan.getJsonArray("notRestored"), FALLBACK_NODE)).isEqualTo(reason);
    }

    @Test
    void restoreCanBeTurnedOff(@TempDir Path dir) throws IOException {
        Path config = configWith(dir, "scaleDown: {restore: {enabled: false}}\n");
        run("plan", "-c", config.toString(), "-s", fixture("state-after-fallback.yaml"), "-o", "json");

        JsonObject plan = new JsonObject(out.toString());
        assertThat(plan.getJsonArray("restores")).isEmpty();
        assertThat(plan.getJsonArray("notRestored")).isEmpty();
    }

    private static String reasonOf(JsonArray kept, String node) {
        for (int i = 0; i < kept.size(); i++) {
            if (kept.getJsonObject(i).getString("node").equals(node)) {
                return kept.getJsonObject(i).getString("reason");
            }
        }
        throw new AssertionError(node + " is not in " + kept.encode());
    }

    private static Path configWith(Path dir, String more) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), Files.readString(Path.of(fixture("config.yaml"))) + more);
    }

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static String fixture(String name) {
        try {
            return Path.of(PlanRestoreTest.class.getResource("/plan/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
