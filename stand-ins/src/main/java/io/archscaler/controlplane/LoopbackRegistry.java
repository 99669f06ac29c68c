package io.archscaler.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry) on a free loopback port, over plain
 * HTTP with no authentication, its storage in a directory of its own that {@link #close()} deletes.
 * Images get in as they would from a build machine: by an OCI client pushing them ({@link #pushOciLayout}
 * runs Debian's skopeo; a test may push with jib as well).
 */
public final class LoopbackRegistry implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final long PUSH_TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final int port;
    private final ManagedProcess process;

    private LoopbackRegistry(Path binary) {
        dir = ScratchDirectory.create("archscaler-registry-");
        port = LoopbackPort.free();
        String config = """
                version: 0.1
                log: {level: warn, accesslog: {disabled: true}}
                storage:
                  filesystem: {rootdirectory: "%s"}
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port);
        try {
            Files.writeString(dir.resolve("config.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = new ManagedProcess("docker-registry", List.of(binary.toString(), "serve", dir.resolve("config.yml").toString()),
                dir.resolve("registry.log"));
    }

    /** Starts {@code docker-registry serve} and returns once it answers {@code /v2/}. */
    public static LoopbackRegistry start() {
        LoopbackRegistry r = new LoopbackRegistry(DebianTool.onPath("docker-registry", "docker-registry"));
        try {
            r.process.start();
            ProcessReadiness.await("docker-registry /v2/", List.of(r.process), START_TIMEOUT,
                    () -> ProcessReadiness.httpGet("http://" + r.host() + "/v2/").startsWith("{"));
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Its host as an image reference names it, {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Pushes the image (or the whole index, every platform) that {@code layout}'s index names {@code tag}
     * to {@code repository:tag} here, with {@code skopeo copy --all}; returns the pushed reference.
     */
    public String pushOciLayout(Path layout, String tag, String repository) {
        String target = host() + "/" + repository + ":" + tag;
        Path log = dir.resolve("skopeo-" + repository.replace('/', '-') + ".log");
        List<String> command = List.of(DebianTool.onPath("skopeo", "skopeo").toString(), "--insecure-policy", "copy", "--all",
                "--dest-tls-verify=false", "oci:" + layout + ":" + tag, "docker://" + target);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(PUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("skopeo did not push " + target + " within " + PUSH_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run skopeo", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return target;
    }

    @Override
    public void close() {
        process.stop();
        ScratchDirectory.delete(dir);
    }
}
