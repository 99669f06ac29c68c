package io.archscaler.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link E2eController} started as a child JVM on this JVM's class path, with a GC log from which
 * its peak heap is read; the decisions it prints are collected as they come.
 */
final class E2eControllerProcess implements AutoCloseable {
    /** {@code -Xlog:gc}'s {@code 24M->3M(256M)}: heap in use before and after a collection. */
    private static final Pattern COLLECTION = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** One decision as the child printed it. */
    record Decision(String action, String nodeGroup, int from, int to, int pods, String outcome) {
    }

    /** The heap at collections: the most in use before one (peak) and after one (the most that was live). */
    record Heap(int peakMiB, int peakAfterGcMiB, int collections) {
    }

    private final Process process;
    private final Path gcLog;
    private final Path log;
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private E2eControllerProcess(Process process, Path gcLog, Path log) {
        this.process = process;
        this.gcLog = gcLog;
        this.log = log;
        this.reader = new Thread(this::readLines, "bench-e2e-controller-out");
        reader.setDaemon(true);
        reader.start();
    }

    static E2eControllerProcess start(Path dir, Path config, Path controllerKubeconfig, Path cloudKubeconfig) {
        Path gcLog = dir.resolve("controller-gc.log");
        Path log = dir.resolve("controller.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xlog:gc:file=" + gcLog, "-cp",
                System.getProperty("java.class.path"), E2eController.class.getName(), config.toString(),
                controllerKubeconfig.toString(), cloudKubeconfig.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new E2eControllerProcess(p, gcLog, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the controller's JVM", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the controller has started (informers synced, leader elected); fails with the end of its log. */
    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the controller did not start within " + timeout.toSeconds() + " s"
                    + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; its log:\n" + tail());
        }
    }

    List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    /** Cpu seconds the controller's JVM used so far (user and system, as {@code /proc/<pid>/stat} counts them). */
    double cpuSeconds() {
        return ProcStat.cpuSeconds(process.pid());
    }

    /** Its heap at the collections logged so far. */
    Heap heap() {
        int peak = 0;
        int live = 0;
        int count = 0;
        try (Stream<String> lines = Files.lines(gcLog)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = COLLECTION.matcher(line);
                if (m.find()) {
                    count++;
                    peak = Math.max(peak, Integer.parseInt(m.group(1)));
                    live = Math.max(live, Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the controller's GC log " + gcLog, e);
        }
        return new Heap(peak, live, count);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonObject json;
                try {
                    json = new JsonObject(line);
                } catch (DecodeException e) {
                    continue; // a library's print to stdout: not ours
                }
                if (json.containsKey("ready")) {
                    ready.countDown();
                }
                JsonObject d = json.getJsonObject("decision");
                if (d != null) {
                    decisions.add(new Decision(d.getString("action"), d.getString("nodeGroup"), d.getInteger("from"),
                            d.getInteger("to"), d.getInteger("pods"), d.getString("outcome")));
                }
            }
        } catch (IOException e) {
            // the child is gone: close() reports nothing more to read
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Ends the child now (SIGTERM, SIGKILL after 10 s), without waiting for its controller to stop:
     * for the benchmark's own end by a signal, when the control plane it talks to is going away too.
     */
    void kill() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the child's stdin, which stops it; kills it if it has not gone after a grace period. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
