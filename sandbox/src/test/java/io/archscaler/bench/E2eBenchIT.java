package io.archscaler.bench;

import io.archscaler.sandbox.SandboxMain;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench --e2e} as a user runs it, at a small size on the real control plane (the binaries
 * named by {@code -Darchscaler.controlPlane.bin}, as {@code tools/test} passes them): every pod is
 * bound and Running, the controller scaled up for them, and its requests were read from the audit log.
 */
class E2eBenchIT {

    @Test
    void aBurstOnTheRealControlPlaneIsScaledForBoundAndCounted() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SandboxMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("bench", "--e2e", "--e2e-pods", "200", "--registration-delay", "2s", "--output", "json");

        System.out.print(out);
        assertThat(exit).as(err.toString()).isZero();
        String[] lines = out.toString().trim().split("\n");
        JsonObject json = new JsonObject(lines[lines.length - 1]);
        assertThat(json.getString("benchmark")).isEqualTo("e2e");
        assertThat(json.getBoolean("complete")).isTrue();
        assertThat(json.getLong("registrationDelayMillis")).isEqualTo(2000);
        assertThat(json.getJsonObject("machine").getInteger("cores")).isPositive();
        JsonObject size = json.getJsonArray("sizes").getJsonObject(0);
        assertThat(size.getInteger("pods")).isEqualTo(200);
        JsonObject round = size.getJsonArray("rounds").getJsonObject(0);
        assertThat(round.getInteger("podsBound")).isEqualTo(200);
        assertThat(round.getInteger("podsRunning")).isEqualTo(200);
        // kube-scheduler found no room for the burst before Archscaler added nodes
        assertThat(round.getInteger("podsMarkedUnschedulable")).isPositive();
        assertThat(round.getInteger("scaleUpDecisions")).isPositive();
        // 200 pods of 0.5-1 cpu on 16-cpu nodes, a quarter of them amd64-only: at least 11 nodes, some of each arch
        assertThat(round.getInteger("nodesAskedFor")).isBetween(11, 40);
        assertThat(round.getInteger("nodes")).isEqualTo(round.getInteger("nodesAskedFor"));
        assertThat(round.getDouble("apiRequestsPerPod")).isPositive();
        assertThat(round.getJsonObject("apiRequestsByVerbAndResource").fieldNames()).noneMatch(k -> k.endsWith(" events"));
        // the waits have the 2 s delay taken off: nothing can be bound before its node registered
        assertThat(round.getDouble("lastUnschedulableToAllBoundSeconds")).isGreaterThan(-0.5).isLessThan(60);
        assertThat(round.getDouble("lastUnschedulableToAllRunningSeconds"))
                .isGreaterThanOrEqualTo(round.getDouble("lastUnschedulableToAllBoundSeconds"));
        JsonObject bound = round.getJsonObject("unschedulableToBoundSeconds");
        assertThat(bound.getDouble("p99")).isGreaterThanOrEqualTo(bound.getDouble("p50")).isLessThanOrEqualTo(bound.getDouble("max"));
        JsonObject cpu = round.getJsonObject("cpuSeconds");
        assertThat(cpu.getDouble("archscaler")).isPositive();
        assertThat(cpu.getDouble("kubeApiserver")).isPositive();
        assertThat(cpu.getDouble("etcd")).isPositive();
        assertThat(round.getInteger("archscalerPeakHeapMiB")).isPositive();
        assertThat(round.getInteger("schedulerBindings")).isEqualTo(200);
        assertThat(out.toString()).contains("last Unschedulable -> all bound").contains("ARCHSCALER'S REQUESTS");
    }
}
