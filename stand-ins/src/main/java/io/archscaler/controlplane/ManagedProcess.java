package io.archscaler.controlplane;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One binary of the control plane: its command line, its log file, and a stop that ends its whole
 * process tree (SIGTERM, then SIGKILL after a grace period). It can be started again with the same
 * command line, as a restarted component would be.
 */
final class ManagedProcess {
    private static final long GRACE_SECONDS = 10;
    private static final int LOG_TAIL_BYTES = 4096;

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    ManagedProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.writeString(log, "--- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    /** The running process's id; empty when it is not running. */
    synchronized java.util.OptionalLong pid() {
        return isAlive() ? java.util.OptionalLong.of(process.pid()) : java.util.OptionalLong.empty();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Stops the process and its descendants: SIGTERM, and SIGKILL for whatever outlives the grace period. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, GRACE_SECONDS);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, GRACE_SECONDS);
        process = null;
    }

    /** Ends the process at once (SIGKILL), as a crash would: nothing is flushed or released. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(List.of(process.toHandle()), GRACE_SECONDS);
        process = null;
    }

    /** Why the process is not running, for an error message: its exit code and the end of its log. */
    synchronized String describeExit() {
        String state = process == null ? "not started" : process.isAlive() ? "still running" : "exited with " + process.exitValue();
        return name + " " + state + "; last lines of " + log + ":\n" + tail();
    }

    String tail() {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void awaitExit(List<ProcessHandle> handles, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still alive: the caller escalates or gives up
            }
        }
    }
}
