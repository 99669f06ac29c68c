package io.archscaler.cli;

import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code archscaler run} against a cluster named by a kubeconfig, as a user starts it. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void runActsOnTheKubeconfigClusterServesHttpAndStopsCleanly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (SandboxCluster cluster = new SandboxCluster()) {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: sandbox, cluster: {server: "%s"}}]
                    contexts: [{name: sandbox, context: {cluster: sandbox, user: dev, namespace: default}}]
                    users: [{name: dev, user: {token: not-a-real-token}}]
                    current-context: sandbox
                    """.formatted(cluster.url()));
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, """
                    cluster: dev
                    nodeGroups:
                      - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 3, simulated: {registrationDelay: 200ms}}
                      - {name: x86, provider: simulated, instanceType: m6i.large, maxSize: 3, simulated: {registrationDelay: 200ms}}
                    scaleUp: {batchIdle: 100ms, batchMax: 1s}
                    images: {resolve: false}
                    leaderElection: {namespace: archscaler, leaseName: run-test}
                    http: {port: %d}
                    """.formatted(port));
            String previousKubeconfig = System.setProperty("kubeconfig", kubeconfig.toString());
            System.setProperty("kubernetes.auth.tryServiceAccount", "false");
            RunCommand run = new RunCommand();
            CommandLine cmd = new CommandLine(run);
            StringWriter err = new StringWriter();
            cmd.setErr(new PrintWriter(err, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> cmd.execute("--config", config.toString()));
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(30)).until(() -> get(http, port, "/readyz") == 200);
                assertThat(err.toString()).contains("running as").contains("for cluster dev");

                cluster.client().pods().inNamespace("default").resource(unschedulablePod()).create();
                await().atMost(Duration.ofSeconds(20)).until(() -> !cluster.client().nodes().list().getItems().isEmpty());
                assertThat(cluster.client().nodes().list().getItems().get(0).getMetadata().getLabels())
                        .containsEntry("kubernetes.io/arch", "arm64");
                assertThat(cluster.client().leases().inNamespace("archscaler").withName("run-test").get()).isNotNull();

                HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/status")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(status.body()).contains("\"cluster\" : \"dev\"");
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/status")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
            } finally {
                run.requestStop();
                assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
                restore("kubeconfig", previousKubeconfig);
                System.clearProperty("kubernetes.auth.tryServiceAccount");
            }
        }
    }

    private static Pod unschedulablePod() {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web-0")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web")
                .withUid("u").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("example/web").withNewResources()
                .addToRequests("cpu", new Quantity("500m")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").endCondition().endStatus().build();
    }

    private static int get(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
