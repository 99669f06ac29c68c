package io.archscaler.controlplane;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Debian's Prometheus on a free loopback port, scraping every second the targets it is given,
 * with its storage in a directory of its own that {@link #close()} deletes. Targets come through
 * file-based service discovery, so they can change while it runs, as a Kubernetes service
 * discovery's would when pods come and go; each target carries its own labels ({@code namespace},
 * {@code pod}) as relabelling would give them.
 */
public final class LoopbackPrometheus implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path targetsFile;
    private final int port;
    private final ManagedProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One scrape target: {@code host:port}, the path of its metrics and the labels its series get. */
    public record ScrapeTarget(String address, String metricsPath, Map<String, String> labels) {
        public ScrapeTarget {
            labels = Map.copyOf(labels);
        }
    }

    private LoopbackPrometheus(Path binary) {
        dir = ScratchDirectory.create("archscaler-prometheus-");
        targetsFile = dir.resolve("targets.json");
        port = LoopbackPort.free();
        String config = """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: pods
                    file_sd_configs:
                      - files: ["%s"]
                        refresh_interval: 1s
                """.formatted(targetsFile);
        write(dir.resolve("prometheus.yml"), config);
        write(targetsFile, "[]");
        process = new ManagedProcess("prometheus", List.of(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"),
                dir.resolve("prometheus.log"));
    }

    /**
     * Starts Debian's {@code prometheus} (found on PATH; {@code tools/test} installs it) with no targets
     * yet, and returns once it answers {@code /-/ready}.
     */
    public static LoopbackPrometheus start() {
        LoopbackPrometheus p = new LoopbackPrometheus(DebianTool.onPath("prometheus", "prometheus"));
        try {
            p.process.start();
            ProcessReadiness.await("prometheus /-/ready", List.of(p.process), START_TIMEOUT,
                    () -> ProcessReadiness.httpGet(p.url() + "-/ready").contains("Ready"));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Its base URL, {@code http://127.0.0.1:PORT/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Scrapes exactly these targets from now on (the file is replaced at once, so Prometheus never reads half of it). */
    public synchronized void scrape(List<ScrapeTarget> targets) {
        JsonArray groups = new JsonArray();
        for (ScrapeTarget t : targets) {
            JsonObject labels = new JsonObject().put("__metrics_path__", t.metricsPath());
            new TreeMap<>(t.labels()).forEach(labels::put);
            groups.add(new JsonObject().put("targets", new JsonArray().add(t.address())).put("labels", labels));
        }
        Path next = dir.resolve("targets.json.next");
        write(next, groups.encodePrettily());
        try {
            Files.move(next, targetsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of an instant query now, which must succeed. */
    public JsonArray vector(String promql) {
        String uri = url() + "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject answer = new JsonObject(r.body());
            if (!"success".equals(answer.getString("status"))) {
                throw new IllegalStateException(promql + ": " + r.body());
            }
            return answer.getJsonObject("data").getJsonArray("result");
        } catch (IOException e) {
            throw new UncheckedIOException(promql, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An instant query's values now, by the value of {@code label} on each series. */
    public Map<String, Double> valuesBy(String label, String promql) {
        Map<String, Double> out = new TreeMap<>();
        for (Object o : vector(promql)) {
            JsonObject series = (JsonObject) o;
            out.put(series.getJsonObject("metric").getString(label), Double.parseDouble(series.getJsonArray("value").getString(1)));
        }
        return out;
    }

    @Override
    public void close() {
        process.stop();
        ScratchDirectory.delete(dir);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
