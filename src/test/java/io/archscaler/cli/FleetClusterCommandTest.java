package io.archscaler.cli;

import io.archscaler.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code plan} and {@code groups} with a fleet file: {@code --cluster} picks one cluster, inline or from {@code clustersDir}. */
class FleetClusterCommandTest {
    /** Two clusters whose groups differ, so the plan shows which one was read. */
    private static final String FLEET = """
            kafka: {bootstrapServers: "127.0.0.1:9092"}
            scaleUp: {maxNodesTotal: 50}
            clustersDir: clusters.d
            clusters:
              - name: edge-1
                kubeconfig: edge-1.kubeconfig
                nodeGroups:
                  - {name: edge-1-arm, provider: simulated, arch: arm64, minSize: 1, maxSize: 10,
                     capacity: {cpu: "2", memory: 8Gi, pods: 29}}
            """;
    private static final String DIR_CLUSTER = """
            name: edge-7
            kubeconfig: edge-7.kubeconfig
            nodeGroups:
              - {name: edge-7-x86, provider: simulated, arch: amd64, minSize: 1, maxSize: 10,
                 capacity: {cpu: "2", memory: 8Gi, pods: 29}}
            """;

    @TempDir
    Path dir;
    private Path fleet;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeFleet() throws IOException {
        fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, FLEET);
        Files.createDirectories(dir.resolve("clusters.d"));
        Files.writeString(dir.resolve("clusters.d/edge-7.yaml"), DIR_CLUSTER);
    }

    @Test
    void planReadsTheNamedInlineClustersGroups() {
        int code = run("plan", "-c", fleet.toString(), "--cluster", "edge-1", "-s", state(), "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonArray scaleUps = new JsonObject(out.toString()).getJsonArray("scaleUps");
        assertThat(scaleUps).isNotEmpty();
        assertThat(scaleUps.stream().map(o -> ((JsonObject) o).getString("nodeGroup")).distinct().toList())
                .containsExactly("edge-1-arm");
    }

    @Test
    void planReadsAClusterOfTheDirectory() {
        int code = run("plan", "-c", fleet.toString(), "--cluster", "edge-7", "-s", state(), "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonArray scaleUps = new JsonObject(out.toString()).getJsonArray("scaleUps");
        assertThat(scaleUps.stream().map(o -> ((JsonObject) o).getString("nodeGroup")).distinct().toList())
                .containsExactly("edge-7-x86");
    }

    @Test
    void aFleetFileWithoutClusterNamesTheClustersItHas() {
        int code = run("plan", "-c", fleet.toString(), "-s", state());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("archscaler: " + fleet
                + " is a fleet config: name one of its clusters with --cluster (clusters: edge-1, edge-7)\n");
    }

    @Test
    void anUnknownClusterIsRefusedNamingTheClustersAndAnyFileThatDidNotParse() throws IOException {
        Files.writeString(dir.resolve("clusters.d/broken.yaml"), "name: broken\nkubeconfig: b\nnodeGroups: 7\n");

        int code = run("groups", "-c", fleet.toString(), "--cluster", "edge-9");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("archscaler: " + fleet + " has no cluster edge-9 (clusters: edge-1, edge-7);"
                + " files refused: " + dir.resolve("clusters.d/broken.yaml") + ":3: nodeGroups");
    }

    @Test
    void aSingleClusterConfigRefusesAnotherClustersName() {
        Path single = Path.of(fixture("config.yaml"));

        int code = run("plan", "-c", single.toString(), "--cluster", "staging", "-s", state());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: " + single + " is the config of cluster prod, not staging\n");
        assertThat(run("plan", "-c", single.toString(), "--cluster", "prod", "-s", state(), "-o", "json")).isZero();
    }

    @Test
    void groupsListsTheNamedClustersGroups() {
        int code = run("groups", "-c", fleet.toString(), "--cluster", "edge-7", "-o", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonArray groups = new JsonArray(out.toString());
        assertThat(groups.stream().map(o -> ((JsonObject) o).getString("name")).toList()).containsExactly("edge-7-x86");
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static String state() {
        return fixture("state-flexible.yaml");
    }

    private static String fixture(String name) {
        try {
            return Path.of(FleetClusterCommandTest.class.getResource("/plan/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
