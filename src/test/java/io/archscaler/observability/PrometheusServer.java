package io.archscaler.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, scraping one target
 * every second, with its storage in a temporary directory removed on close.
 */
final class PrometheusServer implements AutoCloseable {
    static final String JOB = "archscaler";

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param target    host:port of the /metrics endpoint
     * @param ruleFile  a rule file to load, or null
     * @param labels    target labels, as a ServiceMonitor would add them ({@code namespace}, {@code service}, {@code pod})
     */
    PrometheusServer(String target, Path ruleFile, String labels) throws IOException {
        Path binary = Tools.require("prometheus");
        dir = Files.createTempDirectory("prometheus");
        port = freePort();
        String config = """
                global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}
                %s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["%s"]
                        labels: {%s}
                """.formatted(ruleFile == null ? "" : "rule_files: [\"" + ruleFile + "\"]", JOB, target, labels);
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Whether Prometheus answers /-/ready; fails at once if the process died. */
    boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + log());
        }
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** An instant query: the whole API answer ({@code status}, {@code data} or {@code error}). */
    JsonObject query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + encode(promql));
    }

    /** The result vector of an instant query that must succeed. */
    JsonArray vector(String promql) throws IOException, InterruptedException {
        JsonObject answer = query(promql);
        if (!"success".equals(answer.getString("status"))) {
            throw new AssertionError(promql + ": " + answer.encode());
        }
        return answer.getJsonObject("data").getJsonArray("result");
    }

    /** Series matching a selector ({@code /api/v1/series}). */
    JsonArray series(String match) throws IOException, InterruptedException {
        return api("/api/v1/series?match[]=" + encode(match)).getJsonArray("data");
    }

    /** Values of a label on series matching {@code match} ({@code label_values(match, label)} in Grafana). */
    JsonArray labelValues(String label, String match) throws IOException, InterruptedException {
        return api("/api/v1/label/" + label + "/values?match[]=" + encode(match)).getJsonArray("data");
    }

    /** The loaded rule groups ({@code /api/v1/rules}). */
    JsonArray ruleGroups() throws IOException, InterruptedException {
        return api("/api/v1/rules").getJsonObject("data").getJsonArray("groups");
    }

    private JsonObject api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery);
        try {
            return new JsonObject(r.body());
        } catch (RuntimeException e) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body(), e);
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> names(JsonArray values) {
        return values.stream().map(String::valueOf).toList();
    }
}
