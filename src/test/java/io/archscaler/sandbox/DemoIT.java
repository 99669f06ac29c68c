package io.archscaler.sandbox;

import io.archscaler.Main;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo as a user runs it, with its JSON summary checked. */
class DemoIT {
    @Test
    void demoSchedulesEveryPodWithLockedPodsOnAmd64AndFlexiblePodsOnArm64() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("demo", "--http-port", "0", "--speed", "4", "--output", "json");

        String[] lines = out.toString().trim().split("\n");
        JsonObject summary = new JsonObject(lines[lines.length - 1]);
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("decision: scale-up arm-general").contains("script: burst")
                .contains("FAILED InsufficientCapacity");
        assertThat(summary.getInteger("podsScheduled")).isEqualTo(summary.getInteger("podsTotal")).isEqualTo(37);
        assertThat(summary.getInteger("lockedPodsOnAmd64")).isEqualTo(summary.getInteger("lockedPodsTotal"));
        // web and worker (17 pods) are planned on arm64; the stand-in scheduler may bind a few to free room on
        // the legacy amd64 nodes, as kube-scheduler would. amd64 nodes are only ever asked for the locked
        // pods and, during the arm64 shortage, as a fallback.
        assertThat(summary.getInteger("flexiblePodsOnArm64")).isGreaterThanOrEqualTo(20);
        // the reports image exists for amd64 only: the webhook pinned it, and it is counted among the locked pods
        assertThat(out.toString()).contains("admission: the placement webhook pinned reports");
        assertThat(summary.getInteger("lockedPodsTotal")).isEqualTo(5);
        assertThat(summary.getInteger("fallbacks")).isPositive();
        // storefront's HPA: nodes were asked for before the HPA created its pods
        assertThat(out.toString()).contains("(ahead of HPA: ");
        assertThat(summary.getDouble("aheadOfHpaSeconds")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("arm64")).isPositive();
        assertThat(summary.getJsonObject("nodesByArch").getInteger("amd64")).isPositive();
        assertThat(summary.getInteger("scaleUps")).isGreaterThanOrEqualTo(3);
        assertThat(summary.getDouble("costPerHour")).isLessThan(summary.getDouble("allAmd64CostPerHour"));
        assertThat(summary.getJsonObject("pendingToScheduledSeconds").getDouble("p99"))
                .isGreaterThanOrEqualTo(summary.getJsonObject("pendingToScheduledSeconds").getDouble("p50"));
    }
}
