package io.archscaler.cli;

import io.archscaler.Main;
import io.archscaler.controlplane.CertificateAuthority;
import io.archscaler.controlplane.PemKeyPair;
import io.archscaler.expander.ExpanderClient;
import io.archscaler.images.FakeRegistry;
import io.archscaler.observability.RepoFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code archscaler expander --config FILE} as a user runs it, through the product's command line. */
class ExpanderCommandTest {
    private static final Pattern STARTED = Pattern.compile("gRPC expander on port (\\d+) \\(TLS\\); http on port (\\d+)");
    private static final String GROUPS = """
            nodeGroups:
              - {name: arm-general, provider: simulated, instanceType: m7g.large, maxSize: 10}
              - {name: x86-general, provider: simulated, instanceType: m6i.large, maxSize: 10}
            """;

    @TempDir
    Path dir;

    private record Run(CommandLine cmd, StringWriter err, CompletableFuture<Integer> exit) {
        ExpanderCommand command() {
            return (ExpanderCommand) cmd.getSubcommands().get("expander").getCommand();
        }
    }

    private Run start(Path config) {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd, err, CompletableFuture.supplyAsync(() -> cmd.execute("expander", "--config", config.toString())));
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("archscaler.yaml"), yaml);
    }

    @Test
    void servesBestOptionsOverTlsWithMetricsAndStatusAndStopsCleanly() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("expander-command-ca");
        PemKeyPair pair = ca.issueServer("archscaler-expander", List.of("127.0.0.1", "localhost"));
        Path cert = Files.writeString(dir.resolve("tls.crt"), pair.certificatePem());
        Path key = Files.writeString(dir.resolve("tls.key"), pair.privateKeyPem());
        Vertx vertx = Vertx.vertx();
        try (FakeRegistry registry = new FakeRegistry()) {
            registry.amd64Only("shop/legacy", "1.0");
            // the configuration docs/cluster-autoscaler.md shows, with this test's files and free ports
            Run run = start(config(documentedConfig().replace("/etc/archscaler/expander/tls.crt", cert.toString())
                    .replace("/etc/archscaler/expander/tls.key", key.toString())
                    .replace("port: 8444", "port: 0").replace("http: {port: 8080}", "http: {port: 0}")));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.matcher(run.err().toString()).find()
                        || run.exit().isDone());
                Matcher started = STARTED.matcher(run.err().toString());
                assertThat(started.find()).as(run.err().toString()).isTrue();
                int grpcPort = Integer.parseInt(started.group(1));
                int httpPort = Integer.parseInt(started.group(2));
                ExpanderClient client = ExpanderClient.tls(vertx, grpcPort, ca.certificatePem());
                byte[] request = ExpanderClient.request(List.of("x86-general", "arm-general"),
                        ExpanderClient.pod("legacy-0", registry.host() + "/shop/legacy:1.0"));

                // the first lookup may outlast lookupTimeout on a cold JVM: it still fills the cache for the next call
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    ExpanderClient.Answer answer = client.call(request);
                    assertThat(answer.status()).isEqualTo(GrpcStatus.OK);
                    assertThat(answer.ids()).containsExactly("x86-general");
                });

                String metrics = get(httpPort, "/metrics");
                assertThat(metrics).containsPattern("archscaler_expander_calls_total\\{[^}]*outcome=\"ranked\"[^}]*} [1-9]");
                assertThat(metrics).containsPattern("archscaler_expander_dropped_options_total\\{[^}]*reason=\"image_arch\"[^}]*} [1-9]");
                JsonObject status = new JsonObject(get(httpPort, "/status"));
                assertThat(status.getString("cluster")).isEqualTo("prod");
                List<Object> lastCalls = status.getJsonObject("expander").getJsonArray("lastCalls").getList();
                assertThat(lastCalls.get(lastCalls.size() - 1).toString())
                        .startsWith("ranked: 2 options in, 1 out").contains("arm-general (image_arch: pod shop/legacy-0");
            } finally {
                run.command().requestStop();
                assertThat(run.exit().get(30, TimeUnit.SECONDS)).isZero();
            }
            // stopped: the gRPC port and the HTTP port are closed
            Matcher started = STARTED.matcher(run.err().toString());
            assertThat(started.find()).isTrue();
            assertThat(listening(Integer.parseInt(started.group(1)))).as("gRPC port open").isFalse();
            assertThat(listening(Integer.parseInt(started.group(2)))).as("http port open").isFalse();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingCertificateFileIsNamedAndExitsOne() throws Exception {
        Path missing = dir.resolve("nowhere/tls.crt");
        Path key = Files.writeString(dir.resolve("tls.key"), "not read: the certificate is checked first");
        Run run = start(config("cluster: prod\n" + GROUPS + """
                expander: {port: 0, certFile: %s, keyFile: %s}
                http: {port: 0}
                """.formatted(missing, key)));

        assertThat(run.exit().get(60, TimeUnit.SECONDS)).isEqualTo(ArchscalerCommand.EXIT_INPUT_ERROR);
        assertThat(run.err().toString()).contains("archscaler: expander failed to start: expander certFile " + missing
                + " cannot be read: no such file");
    }

    @Test
    void aConfigWithoutAnExpanderBlockSaysWhatToAdd() throws Exception {
        Path config = config("cluster: prod\n" + GROUPS + "http: {port: 0}\n");
        Run run = start(config);

        assertThat(run.exit().get(60, TimeUnit.SECONDS)).isEqualTo(ArchscalerCommand.EXIT_INPUT_ERROR);
        assertThat(run.err().toString().strip()).isEqualTo("archscaler: " + config
                + ": no expander block: give expander.certFile and expander.keyFile (see docs/cluster-autoscaler.md)");
    }

    /** The first YAML example of docs/cluster-autoscaler.md. */
    private static String documentedConfig() {
        String doc = RepoFiles.read(RepoFiles.root().resolve("docs/cluster-autoscaler.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
