package io.archscaler.cli;

import io.archscaler.Main;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code archscaler plan} end to end through picocli, on files as kubectl writes them. */
class PlanCommandTest {
    private static final String WEB_PODS = """
            ["shop/web-frontend-6f8d9c7b5-4xk2p", "shop/web-frontend-6f8d9c7b5-9wq7r", "shop/web-frontend-6f8d9c7b5-tz5mn"]""";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"state-flexible.yaml", "state-flexible.json", "state-multidoc.yaml"})
    void flexiblePodsScaleUpTheArm64Group(String state) {
        int code = run("plan", "--config", fixture("config.yaml"), "--state", fixture(state), "--output", "json");

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(new JsonObject(out.toString())).isEqualTo(new JsonObject("""
                {"scaleUps": [{"nodeGroup": "arm-general", "arch": "arm64", "capacityType": "on-demand", "from": 1, "to": 2, "pods": %s}],
                 "unschedulable": [],
                 "scaleDowns": [], "restores": [], "notRestored": []}""".formatted(WEB_PODS)));
    }

    @Test
    void jsonKeepsTheKeyOrderOfTheDesign() {
        run("plan", "-c", fixture("config.yaml"), "-s", fixture("state-flexible.yaml"), "-o", "json");
        String json = out.toString();
        assertThat(json.indexOf("\"scaleUps\"")).isLessThan(json.indexOf("\"unschedulable\""));
        assertThat(json.indexOf("\"unschedulable\"")).isLessThan(json.indexOf("\"scaleDowns\""));
        assertThat(json.indexOf("\"scaleDowns\"")).isLessThan(json.indexOf("\"restores\""));
        assertThat(json.indexOf("\"nodeGroup\"")).isLessThan(json.indexOf("\"arch\""));
        assertThat(json).doesNotContain("fallbackReason").contains("\n  ");
    }

    @Test
    void amd64LockedPodsScaleUpTheAmd64Group() {
        int code = run("plan", "--config", fixture("config.yaml"), "--state", fixture("state-amd64-locked.yaml"),
                "--output", "json");

        assertThat(code).isZero();
        // each 1500m pod needs its own m5.large: 1930m allocatable less 150m of DaemonSets
        assertThat(new JsonObject(out.toString())).isEqualTo(new JsonObject("""
                {"scaleUps": [{"nodeGroup": "x86-general", "arch": "amd64", "capacityType": "on-demand", "from": 1, "to": 3,
                               "pods": ["shop/payments-legacy-1", "shop/payments-legacy-2"]}],
                 "unschedulable": [],
                 "scaleDowns": [], "restores": [], "notRestored": []}"""));
    }

    @Test
    void aPodThatFitsFreeRoomScalesNothing() {
        int code = run("plan", "--config", fixture("config.yaml"), "--state", fixture("state-free-room.yaml"),
                "--output", "json");

        assertThat(code).isZero();
        assertThat(new JsonObject(out.toString()))
                .isEqualTo(new JsonObject("{\"scaleUps\": [], \"unschedulable\": [], \"scaleDowns\": [],"
                        + " \"restores\": [], \"notRestored\": []}"));
    }

    @Test
    void tableIsTheDefaultOutput() {
        int code = run("plan", "--config", fixture("config.yaml"), "--state", fixture("state-flexible.yaml"));

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("""
                GROUP        ARCH   CAPACITY   FROM  TO  PODS
                arm-general  arm64  on-demand  1     2   shop/web-frontend-6f8d9c7b5-4xk2p, shop/web-frontend-6f8d9c7b5-9wq7r, shop/web-frontend-6f8d9c7b5-tz5mn

                Plan: 1 scale-up (+1 node), 0 unschedulable pods, 0 scale-downs, 0 pending pods fit existing capacity.
                """);
    }

    @Test
    void tableSummarisesAPlanWithNothingToDo() {
        run("plan", "--config", fixture("config.yaml"), "--state", fixture("state-free-room.yaml"), "-o", "TABLE");
        assertThat(out.toString()).isEqualTo(
                "Plan: 0 scale-ups (+0 nodes), 0 unschedulable pods, 0 scale-downs, 1 pending pod fits existing capacity.\n");
    }

    @Test
    void theExamplesPlanArm64FirstAmd64ForLockedPodsAndNameTheUnschedulable() {
        Path examples = Path.of("..", "examples");
        int code = run("plan", "--config", examples.resolve("config.yaml").toString(),
                "--state", examples.resolve("cluster-state.yaml").toString());

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("""
                GROUP        ARCH   CAPACITY   FROM  TO  PODS
                arm-general  arm64  on-demand  1     3   search/indexer-7c5d8b9f4-w4666, shop/web-frontend-6f8d9c7b5-4xk2p, shop/web-frontend-6f8d9c7b5-9wq7r (+1 more)
                x86-general  amd64  on-demand  1     3   shop/payments-legacy-1, shop/payments-legacy-2

                UNSCHEDULABLE POD   REASON
                ml/inference-gpu-0  no node group can take it: arm-general doesn't fit: insufficient nvidia.com/gpu: needs 1, node has 0; x86-general doesn't fit: insufficient nvidia.com/gpu: needs 1, node has 0

                Plan: 2 scale-ups (+4 nodes), 1 unschedulable pod, 0 scale-downs, 1 pending pod fits existing capacity.
                """);
    }

    @Test
    void badQuantityInTheStateIsAnInputError() {
        Path state = Path.of(fixture("state-bad-quantity.yaml"));
        int code = run("plan", "--config", fixture("config.yaml"), "--state", state.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("archscaler: " + state + ": pod shop/web-frontend-6f8d9c7b5-4xk2p:"
                + " spec.containers[web].resources.requests.cpu: invalid quantity \"two\": expected a number such as"
                + " 500m, 2, 1.5Gi\n");
    }

    @Test
    void brokenYamlStateNamesTheLine(@TempDir Path dir) throws IOException {
        Path state = Files.writeString(dir.resolve("state.yaml"), "apiVersion: v1\nkind: List\nitems: [\n");
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: " + state + ": not a Kubernetes list in YAML or JSON: line 4:"
                + " expected the node content, but found '<stream end>' (while parsing a flow node)\n");
    }

    @Test
    void wrongTypesInJsonStateNameTheField(@TempDir Path dir) throws IOException {
        Path state = Files.writeString(dir.resolve("state.json"),
                "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\","
                        + " \"spec\": {\"containers\": 5}}]}");
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", state.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("archscaler: " + state + ": not a Kubernetes list in YAML or JSON: line 1:"
                + " items[0].spec.containers: Cannot deserialize");
    }

    @Test
    void somethingElseThanAListIsRefused(@TempDir Path dir) throws IOException {
        Path state = Files.writeString(dir.resolve("state.yaml"), "hello\n");
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: " + state + ": expected the output of kubectl get nodes,pods"
                + " -A -o yaml (a v1 List of Nodes and Pods)\n");
    }

    @Test
    void emptyAndMissingStateFilesAreRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", empty.toString())).isEqualTo(1);
        Path missing = dir.resolve("missing.yaml");
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", missing.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: " + empty + ": the file is empty\n"
                + "archscaler: " + missing + ": no such file\n");
    }

    @Test
    void badConfigIsAnInputErrorWithFileAndLine() {
        Path config = Path.of(fixture("config-bad.yaml"));
        int code = run("plan", "--config", config.toString(), "--state", fixture("state-flexible.yaml"));

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("archscaler: " + config
                + ":6: nodeGroups[0].minSize: must not exceed maxSize (got minSize 4 > maxSize 2)\n");
    }

    @Test
    void missingOptionIsAUsageError() {
        assertThat(run("plan", "--config", fixture("config.yaml"))).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--state=FILE'");
    }

    @Test
    void unknownOutputFormatIsAUsageError() {
        assertThat(run("plan", "-c", fixture("config.yaml"), "-s", fixture("state-flexible.yaml"), "-o", "xml"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("expected json or table (got \"xml\")");
    }

    @Test
    void mainsOwnCommandLinePrefixesUsageErrors() {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cmd.execute("plan", "-o", "json")).isEqualTo(2);
        assertThat(err.toString()).startsWith("archscaler: Missing required options: '--config=FILE', '--state=FILE'\n"
                + "Try 'archscaler plan --help' for more information.\n");
    }

    @Test
    void withoutACommandTheUsageErrorListsTheCommands() {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cmd.execute()).isEqualTo(2);
        assertThat(err.toString()).startsWith("archscaler: missing command (one of: ").contains("plan");
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: archscaler", "plan");
        assertThat(run("plan", "--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE", "--state=FILE", "--output=FORMAT");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("archscaler ");
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static String fixture(String name) {
        try {
            return Path.of(PlanCommandTest.class.getResource("/plan/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
