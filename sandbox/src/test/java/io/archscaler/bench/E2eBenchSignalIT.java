package io.archscaler.bench;

import io.archscaler.controlplane.ControlPlaneBinaries;
import io.archscaler.sandbox.SandboxMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench --e2e} ended by SIGTERM in the middle of a burst, as a user's Ctrl-C or a CI timeout
 * ends it: the benchmark's JVM leaves no process behind (the controller's JVM, etcd, kube-apiserver,
 * kwok...) and no directory in its temporary directory.
 */
class E2eBenchSignalIT {

    @Test
    void aBenchEndedBySigtermLeavesNoProcessAndNoDirectory(@TempDir Path tmp) throws Exception {
        Path bin = ControlPlaneBinaries.locate().dir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process bench = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-D" + ControlPlaneBinaries.PROPERTY + "=" + bin,
                "-cp", System.getProperty("java.class.path"), SandboxMain.class.getName(),
                "bench", "--e2e", "--e2e-pods", "2000", "--registration-delay", "2s").redirectErrorStream(true).start();
        CountDownLatch bursting = new CountDownLatch(1);
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> read(bench, output, bursting), "bench-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(bursting.await(5, TimeUnit.MINUTES)).as("the burst began; output:\n%s", String.join("\n", output)).isTrue();
            List<ProcessHandle> started = bench.descendants().toList();
            assertThat(started).as("the controller's JVM and the control plane run").anyMatch(p -> commandLine(p).contains(
                    E2eController.class.getName())).anyMatch(p -> commandLine(p).contains("kube-apiserver"));

            bench.destroy(); // SIGTERM

            assertThat(bench.waitFor(2, TimeUnit.MINUTES)).as("the bench ended after SIGTERM").isTrue();
            List<ProcessHandle> left = new ArrayList<>(started);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (left.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(left.stream().filter(ProcessHandle::isAlive).map(E2eBenchSignalIT::commandLine)).isEmpty();
            try (Stream<Path> files = Files.list(tmp)) {
                // a JVM's own perf data directory (hsperfdata_USER) is its, not the benchmark's
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("hsperfdata_"))).isEmpty();
            }
        } finally {
            bench.descendants().forEach(ProcessHandle::destroyForcibly);
            bench.destroyForcibly();
        }
    }

    private static void read(Process bench, List<String> output, CountDownLatch bursting) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.add(line);
                if (line.contains("pods: created in")) {
                    bursting.countDown();
                }
            }
        } catch (IOException e) {
            // the bench is gone
        }
    }

    /** Read from /proc: ProcessHandle.Info leaves the command line out for some processes. */
    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // it has ended
        }
    }
}
