package io.archscaler.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one benchmark several times, each in a fresh JVM, and collects each run's JSON result: a
 * run inside the same JVM would start with the previous one's compiled code and heap, and the
 * spread between runs is most of what a single figure hides.
 */
public final class RepeatedRuns {
    private final List<String> benchArgs;
    private final Consumer<String> progress;

    /**
     * @param benchArgs the command line of one run, starting with {@code bench}, without
     *                  {@code --repeat}; {@code --output json} is added
     */
    public RepeatedRuns(List<String> benchArgs, Consumer<String> progress) {
        this.benchArgs = List.copyOf(benchArgs);
        this.progress = progress;
    }

    /** Runs it {@code times} times, one after the other; fails on the first run that fails. */
    public List<JsonObject> run(int times) {
        List<JsonObject> results = new ArrayList<>();
        for (int i = 1; i <= times; i++) {
            progress.accept(String.format(java.util.Locale.ROOT, "bench: run %d of %d in a fresh JVM: %s", i, times,
                    String.join(" ", benchArgs)));
            results.add(runOnce());
        }
        return results;
    }

    private JsonObject runOnce() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // the same heap and JVM flags as this run (ARCHSCALER_JAVA_OPTS), the same classes
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.archscaler.sandbox.SandboxMain");
        command.addAll(benchArgs);
        command.add("--output");
        command.add("json");
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String last = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    progress.accept(line);
                    last = line.isBlank() ? last : line;
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("a run exited with " + exit + ": " + String.join(" ", benchArgs));
            }
            if (last == null) {
                throw new IllegalStateException("a run printed no result: " + String.join(" ", benchArgs));
            }
            return new JsonObject(last);
        } catch (IOException e) {
            throw new IllegalStateException("could not start a run: " + e.getMessage(), e);
        } catch (DecodeException e) {
            throw new IllegalStateException("a run's last line is not a JSON result: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a run was going", e);
        }
    }
}
