package io.archscaler.readiness;

import io.archscaler.images.FakeRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code archscaler readiness} against images served by a loopback registry (WireMock serving real
 * manifest documents): a multi-arch image, an amd64-only one, one the registry does not know, and
 * one on a registry nobody listens at; then offline with {@code --no-resolve}.
 */
class ReadinessCommandTest {
    /** arm-general and x86-general as m7g.large and m5.large, with 2 cpu and 8Gi allocatable each. */
    private static final String CONFIG = """
            cluster: prod
            nodeGroups:
              - {name: arm-general, provider: simulated, instanceType: m7g.large, maxSize: 5, pricePerHour: 0.0816,
                 capacity: {cpu: "2", memory: 8Gi, pods: 29}}
              - {name: x86-general, provider: simulated, instanceType: m5.large, maxSize: 5, pricePerHour: 0.096,
                 capacity: {cpu: "2", memory: 8Gi, pods: 29}}
            """;

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("config.yaml");
        Files.writeString(config, CONFIG);
    }

    static String node(String name, String group, String arch) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata:
                    name: %s
                    labels: {kubernetes.io/arch: %s, archscaler.io/node-group: %s}
                """.formatted(name, arch, group);
    }

    static String deployment(String ns, String name, String image, String extraSpec) {
        return """
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: %s, namespace: %s}
                  spec:
                    replicas: 2
                    selector: {matchLabels: {app: %s}}
                    template:
                      metadata: {labels: {app: %s}}
                      spec:
                        %s
                        containers:
                        - name: app
                          image: %s
                          resources: {requests: {cpu: 500m, memory: 1Gi}}
                """.formatted(name, ns, name, name, extraSpec, image);
    }

    /** A pod of a Deployment's ReplicaSet, as kubectl lists it without the ReplicaSet itself. */
    static String deploymentPod(String ns, String deployment, int i, String image, String node) {
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: %s-5d9c7b8f4-%d
                    namespace: %s
                    labels: {app: %s, pod-template-hash: 5d9c7b8f4}
                    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s-5d9c7b8f4, uid: u%d, controller: true}]
                  spec:
                    nodeName: %s
                    containers:
                    - name: app
                      image: %s
                      resources: {requests: {cpu: 500m, memory: 1Gi}}
                  status: {phase: Running}
                """.formatted(deployment, i, ns, deployment, deployment, i, node, image);
    }

    private Path snapshot(String... items) throws IOException {
        Path file = dir.resolve("snapshot.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: List\nitems:\n" + String.join("", items));
        return file;
    }

    /** Two pods of each named deployment on x86-general, pinned or not as extraSpec says. */
    private Path cluster(List<String[]> deployments) throws IOException {
        StringBuilder items = new StringBuilder(node("x86-a", "x86-general", "amd64") + node("arm-a", "arm-general", "arm64"));
        for (String[] d : deployments) {
            items.append(deployment("shop", d[0], d[1], d.length > 2 ? d[2] : ""));
            IntStream.range(0, 2).forEach(i -> items.append(deploymentPod("shop", d[0], i, d[1], "x86-a")));
        }
        return snapshot(items.toString());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static JsonObject workload(JsonObject report, String name) {
        return report.getJsonArray("workloads").stream().map(JsonObject.class::cast)
                .filter(w -> w.getString("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void verdictsFollowWhatTheRegistryServes() throws IOException {
        try (FakeRegistry registry = new FakeRegistry()) {
            registry.multiArch("acme/web", "2");
            registry.amd64Only("acme/legacy", "1.2");
            String host = registry.host();
            String unreachable = "127.0.0.1:" + closedPort();
            Path state = cluster(List.of(new String[] {"web", host + "/acme/web:2"},
                    new String[] {"legacy", host + "/acme/legacy:1.2"},
                    new String[] {"ghost", host + "/acme/ghost:9"},
                    new String[] {"offline", unreachable + "/acme/tool:3"}));

            ReadinessRun run = ReadinessRun.of("-c", config.toString(), "-s", state.toString(), "-o", "json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonObject report = new JsonObject(run.out());
            assertThat(workload(report, "web").getString("verdict")).isEqualTo("ready");
            assertThat(workload(report, "web").getJsonArray("images").getJsonObject(0).getJsonArray("archs"))
                    .isEqualTo(new JsonArray().add("amd64").add("arm64"));
            assertThat(workload(report, "legacy").getString("verdict")).isEqualTo("blocked");
            assertThat(workload(report, "legacy").getJsonArray("reasons").getString(0))
                    .isEqualTo(host + "/acme/legacy:1.2 has no linux/arm64 (published for linux/amd64)");
            assertThat(workload(report, "ghost").getString("verdict")).isEqualTo("unknown");
            assertThat(workload(report, "ghost").getJsonArray("reasons").getString(0))
                    .isEqualTo(host + "/acme/ghost:9: platforms unknown (not found)");
            assertThat(workload(report, "offline").getString("verdict")).isEqualTo("unknown");
            assertThat(workload(report, "offline").getJsonArray("reasons").getString(0))
                    .startsWith(unreachable + "/acme/tool:3: platforms unknown (unreachable");
            assertThat(report.getJsonArray("blockedImages").getJsonObject(0).getString("image"))
                    .isEqualTo(host + "/acme/legacy:1.2");
            // each image asked for once, by tag, at the path the distribution API names
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/acme/web/manifests/2")));
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/acme/legacy/manifests/1.2")));
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/acme/ghost/manifests/9")));
            // m5.large $0.096/h and m7g.large $0.0816/h, 2 cpu and 8Gi each: a 500m/1Gi pod saves 0.0027 $/h
            JsonObject totals = report.getJsonObject("totals");
            assertThat(totals.getJsonObject("workloads")).isEqualTo(new JsonObject().put("ready", 1).put("blocked", 1).put("unknown", 2));
            assertThat(totals.getDouble("savingPerMonth")).isCloseTo(2 * 0.0027 * 730, within(0.005));
            assertThat(totals.getDouble("forgonePerMonth")).isCloseTo(2 * 0.0027 * 730, within(0.005));
            assertThat(totals.getDouble("atStakePerMonth")).isCloseTo(4 * 0.0027 * 730, within(0.005));
            assertThat(totals.getJsonObject("movable")).isEqualTo(new JsonObject().put("cpuMillis", 1000).put("memoryBytes", 2L << 30));
        }
    }

    @Test
    void noResolveAsksNoRegistryAndJudgesByPinsAlone() throws IOException {
        try (FakeRegistry registry = new FakeRegistry()) {
            registry.multiArch("acme/web", "2");
            String image = registry.host() + "/acme/web:2";
            Path state = cluster(List.of(new String[] {"web", image},
                    new String[] {"pinned", image, "nodeSelector: {kubernetes.io/arch: amd64}"}));

            ReadinessRun run = ReadinessRun.of("-c", config.toString(), "-s", state.toString(), "-o", "json", "--no-resolve");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonObject report = new JsonObject(run.out());
            assertThat(workload(report, "web").getString("verdict")).isEqualTo("unknown");
            assertThat(workload(report, "web").getJsonArray("reasons").getString(0))
                    .isEqualTo(image + ": platforms unknown (not looked up: --no-resolve)");
            assertThat(workload(report, "pinned").getString("verdict")).isEqualTo("blocked");
            assertThat(workload(report, "pinned").getJsonArray("reasons").getString(0))
                    .isEqualTo("nodeSelector kubernetes.io/arch=amd64 pins it to amd64");
            assertThat(registry.server.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void podsAreCountedUnderTheTopOfTheirOwnerChain() throws IOException {
        String rs = """
                - apiVersion: apps/v1
                  kind: ReplicaSet
                  metadata:
                    name: api-7f
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: d1, controller: true}]
                  spec:
                    replicas: 1
                    selector: {matchLabels: {app: api}}
                    template: {spec: {containers: [{name: a, image: acme/api:1, resources: {requests: {cpu: "1", memory: 2Gi}}}]}}
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: api-7f-x
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7f, uid: r1, controller: true}]
                  spec: {nodeName: arm-a, containers: [{name: a, image: acme/api:1}]}
                  status: {phase: Running}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: debug, namespace: shop}
                  spec: {containers: [{name: a, image: acme/debug:1, resources: {requests: {cpu: 100m, memory: 64Mi}}}]}
                  status: {phase: Pending}
                """;
        Path state = snapshot(node("arm-a", "arm-general", "arm64") + deploymentPod("shop", "web", 0, "acme/web:1", "arm-a") + rs);

        ReadinessRun run = ReadinessRun.of("-c", config.toString(), "-s", state.toString(), "-o", "json", "--no-resolve");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonArray workloads = new JsonObject(run.out()).getJsonArray("workloads");
        assertThat(workloads.stream().map(w -> ((JsonObject) w).getString("kind") + "/" + ((JsonObject) w).getString("name")))
                .containsExactly("Deployment/api", "Deployment/web", "Pod/debug");
        JsonObject api = workloads.getJsonObject(0);
        assertThat(api.getJsonObject("requests").getJsonObject("perReplica"))
                .as("requests come from the ReplicaSet's template, not the trimmed pod")
                .isEqualTo(new JsonObject().put("cpuMillis", 1000).put("memoryBytes", 2L << 30));
        assertThat(api.getJsonArray("placements")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("nodeGroup", "arm-general").put("arch", "arm64").put("pods", 1)));
        assertThat(workloads.getJsonObject(2).getJsonArray("placements")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("nodeGroup", null).put("arch", null).put("pods", 1)));
    }

    @Test
    void badSnapshotsAreClearErrorsNamingTheFileAndTheObject() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertError(missing, missing + ": no such file");

        Path badQuantity = snapshot(deployment("shop", "web", "acme/web:1", "").replace("cpu: 500m", "cpu: lots"));
        assertError(badQuantity, badQuantity + ": Deployment shop/web: spec.containers[app].resources.requests.cpu");

        Path noTemplate = snapshot("""
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: web, namespace: shop}
                  spec: {replicas: 1}
                """);
        assertError(noTemplate, noTemplate + ": Deployment shop/web: spec.template.spec: missing");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: [unclosed\n");
        assertError(broken, broken + ": not a Kubernetes list in YAML or JSON: line ");
    }

    private void assertError(Path state, String message) {
        ReadinessRun run = ReadinessRun.of("-c", config.toString(), "-s", state.toString(), "--no-resolve");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("archscaler: " + message);
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        ReadinessRun run = ReadinessRun.of("-c", config.toString(), "-s", "x.yaml", "-o", "pdf");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("expected table, json or html (got \"pdf\")");
    }
}
