package io.archscaler.controlplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The request counters a workload's pods export on {@code /metrics}, for pods that run nowhere
 * (kwok's): one loopback HTTP server serves each pod's {@value #METRIC} on
 * {@code /pods/<namespace>/<pod>/metrics}. The workload gets requests at a total rate the caller
 * sets, spread evenly over its pods that are Running and Ready, as a Service spreads them; a new
 * pod's counter starts at 0 and a pod that stops serving stops counting. The serving pods are
 * followed with an informer, and each change hands the new scrape targets (labelled
 * {@code namespace} and {@code pod}, as Kubernetes service discovery and relabelling give them) to
 * the scraper.
 */
public final class PodRequestCounters implements AutoCloseable {
    /** The counter each pod exports, as an instrumented HTTP server names it. */
    public static final String METRIC = "http_requests_total";

    private final HttpServer server;
    private final Consumer<List<LoopbackPrometheus.ScrapeTarget>> scrape;
    private final Map<String, Double> counts = new LinkedHashMap<>();
    private SharedIndexInformer<Pod> informer;
    private double totalPerSecond;
    private long settledAt = System.nanoTime();

    private PodRequestCounters(Consumer<List<LoopbackPrometheus.ScrapeTarget>> scrape) {
        this.scrape = scrape;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve pod metrics on loopback", e);
        }
        server.createContext("/pods/", this::serve);
    }

    /**
     * Serves the counters of the pods labelled {@code app=<app>} in {@code namespace} and hands every
     * new set of scrape targets to {@code scrape} (e.g. {@link LoopbackPrometheus#scrape}). No requests
     * arrive until {@link #totalPerSecond(double)} is set.
     */
    public static PodRequestCounters follow(KubernetesClient client, String namespace, String app,
                                            Consumer<List<LoopbackPrometheus.ScrapeTarget>> scrape) {
        PodRequestCounters counters = new PodRequestCounters(scrape);
        counters.server.start();
        // held before it runs: its first events may come before inform() would have returned
        counters.informer = client.pods().inNamespace(namespace).withLabel("app", app).runnableInformer(0);
        counters.informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                counters.resync();
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                counters.resync();
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                counters.resync();
            }
        });
        counters.informer.run();
        return counters;
    }

    /** From now on the workload gets {@code perSecond} requests a second in all, spread over the pods serving. */
    public synchronized void totalPerSecond(double perSecond) {
        settle();
        totalPerSecond = perSecond;
    }

    /** The pods serving now ({@code namespace/name}). */
    public synchronized Set<String> serving() {
        return new TreeSet<>(counts.keySet());
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        server.stop(0);
    }

    private void resync() {
        Set<String> now = new TreeSet<>();
        for (Pod p : informer.getStore().list()) {
            if (servesRequests(p)) {
                now.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
            }
        }
        List<LoopbackPrometheus.ScrapeTarget> targets;
        synchronized (this) {
            if (now.equals(counts.keySet())) {
                return;
            }
            settle();
            counts.keySet().retainAll(now);
            now.forEach(k -> counts.putIfAbsent(k, 0.0));
            targets = targets();
        }
        scrape.accept(targets);
    }

    /** Counts the requests since the last settle, spread evenly over the pods serving in that time. */
    private void settle() {
        long now = System.nanoTime();
        if (!counts.isEmpty()) {
            double each = totalPerSecond * (now - settledAt) / 1e9 / counts.size();
            counts.replaceAll((k, v) -> v + each);
        }
        settledAt = now;
    }

    private List<LoopbackPrometheus.ScrapeTarget> targets() {
        String address = "127.0.0.1:" + server.getAddress().getPort();
        List<LoopbackPrometheus.ScrapeTarget> out = new ArrayList<>();
        for (String key : counts.keySet()) {
            String[] nsName = key.split("/", 2);
            out.add(new LoopbackPrometheus.ScrapeTarget(address, "/pods/" + key + "/metrics",
                    Map.of("namespace", nsName[0], "pod", nsName[1])));
        }
        return out;
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String key = path.startsWith("/pods/") && path.endsWith("/metrics")
                ? path.substring("/pods/".length(), path.length() - "/metrics".length()) : "";
        Double count;
        synchronized (this) {
            settle();
            count = counts.get(key);
        }
        byte[] body = (count == null ? "no such pod serving: " + key + "\n"
                : "# HELP " + METRIC + " Requests served.\n# TYPE " + METRIC + " counter\n" + METRIC + "{code=\"200\"} " + count + "\n")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(count == null ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Running, Ready and not being deleted: what a Service sends requests to. */
    private static boolean servesRequests(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
