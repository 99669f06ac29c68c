package io.archscaler.images;

import io.archscaler.controlplane.DebianTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One platform's image pulled over the registry's HTTP API as a container runtime pulls it (index, then the
 * platform's manifest, its config, its layers with their digests checked) and its layers applied in order to
 * a directory, which then runs the image's entrypoint the way a runtime would: in its own mount and PID
 * namespaces with a fresh /proc, chrooted into the layers, as the image's user, with the image's environment.
 * That takes root. An arm64 image runs under Debian's static qemu-aarch64, copied into the root (a
 * {@code qemu-aarch64 -L ROOT} from outside misses paths the JVM opens with statx, qemu 7.2 not mapping them).
 */
record PulledImage(String architecture, Path root, JsonNode config, long compressedBytes, int layers) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ACCEPT = String.join(",", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final long RUN_TIMEOUT_SECONDS = 180;
    private static final int ELF_MACHINE_X86_64 = 62;
    private static final int ELF_MACHINE_AARCH64 = 183;

    /** What a command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Pulls {@code host/repository:tag}'s image for linux/{@code architecture} and applies its layers under {@code into}. */
    static PulledImage pull(String host, String repository, String tag, String architecture, Path into) {
        String base = "http://" + host + "/v2/" + repository;
        JsonNode index = json(get(base + "/manifests/" + tag));
        String digest = null;
        for (JsonNode m : index.path("manifests")) {
            if (m.path("platform").path("os").asString().equals("linux")
                    && m.path("platform").path("architecture").asString().equals(architecture)) {
                digest = m.path("digest").asString();
            }
        }
        if (digest == null) {
            throw new IllegalStateException(host + "/" + repository + ":" + tag + " has no linux/" + architecture + " manifest: " + index);
        }
        JsonNode manifest = json(get(base + "/manifests/" + digest));
        JsonNode config = json(get(base + "/blobs/" + manifest.path("config").path("digest").asString()));
        Path root = into.resolve("rootfs-" + architecture);
        long bytes = 0;
        int count = 0;
        try {
            Files.createDirectories(root);
            for (JsonNode layer : manifest.path("layers")) {
                Path blob = into.resolve("layer-" + architecture + "-" + count + ".tar.gz");
                download(base + "/blobs/" + layer.path("digest").asString(), layer.path("digest").asString(), blob);
                bytes += Files.size(blob);
                // GNU tar applies the layer over what the earlier ones left; these layers carry no whiteouts to honour
                exec(List.of("tar", "-xzf", blob.toString(), "-C", root.toString()), into.resolve("tar.log"));
                Files.delete(blob);
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PulledImage(architecture, root, config.path("config"), bytes, count);
    }

    /** The image's entrypoint with {@code args} instead of its default arguments, as {@code docker run IMAGE args...}. */
    Result runEntrypoint(List<String> args) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("running an image's filesystem takes root (a chroot, and /proc mounted in it): "
                    + "run this test as root, as tools/test and CI do");
        }
        List<String> entrypoint = strings(config.path("Entrypoint"));
        List<String> inImage = new ArrayList<>();
        if (architecture.equals("arm64")) {
            inImage.add("/qemu-aarch64-static");
            copyInto(DebianTool.onPath("qemu-aarch64-static", "qemu-user-static"), "qemu-aarch64-static");
        }
        inImage.add(executable(entrypoint.get(0)));
        inImage.addAll(entrypoint.subList(1, entrypoint.size()));
        inImage.addAll(args);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--", "/bin/sh", "-c",
                "root=$1; user=$2; shift 2; mount -t proc proc \"$root/proc\" && exec chroot --userspec=\"$user\" \"$root\" \"$@\"",
                "sh", root.toString(), config.path("User").asString()));
        command.addAll(inImage);
        try {
            Files.createDirectories(root.resolve("proc"));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            // the image's environment only (PATH also finds unshare, mount and chroot on the host before the chroot)
            for (String entry : strings(config.path("Env"))) {
                int eq = entry.indexOf('=');
                pb.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            Path out = Files.createTempFile(root.getParent(), "stdout", ".txt");
            Path err = Files.createTempFile(root.getParent(), "stderr", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + RUN_TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The ELF machine of a file in the image ({@code e_machine}): x86-64 or aarch64, else the number. */
    String elfMachine(String pathInImage) {
        try (InputStream in = Files.newInputStream(inRoot(pathInImage))) {
            byte[] header = in.readNBytes(20);
            if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
                return "not ELF";
            }
            int machine = (header[18] & 0xff) | (header[19] & 0xff) << 8;
            return machine == ELF_MACHINE_X86_64 ? "x86-64" : machine == ELF_MACHINE_AARCH64 ? "aarch64" : "machine " + machine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the image's PATH finds {@code command}, as a path inside the image (what the runtime would exec). */
    String executable(String command) {
        if (command.startsWith("/")) {
            return command;
        }
        for (String entry : strings(config.path("Env"))) {
            if (entry.startsWith("PATH=")) {
                for (String dir : entry.substring("PATH=".length()).split(":")) {
                    String candidate = dir + "/" + command;
                    if (Files.isRegularFile(inRoot(candidate))) {
                        return candidate;
                    }
                }
            }
        }
        throw new IllegalStateException(command + " is on no directory of the image's PATH");
    }

    /** A path inside the image as a path on this machine, its symbolic links followed inside the image. */
    Path inRoot(String pathInImage) {
        Path p = root.resolve(pathInImage.substring(1));
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
            try {
                Path target = Files.readSymbolicLink(p);
                p = target.isAbsolute() ? root.resolve(target.toString().substring(1)) : p.getParent().resolve(target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    private void copyInto(Path file, String name) {
        try {
            Files.copy(file, root.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            root.resolve(name).toFile().setExecutable(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static JsonNode json(byte[] body) {
        return JSON.readTree(body);
    }

    private static byte[] get(String url) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", ACCEPT)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + new String(r.body()));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void download(String url, String digest, Path to) throws IOException {
        try {
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(r.body(), sha256)) {
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + url + ": " + r.statusCode());
                }
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                throw new IllegalStateException(url + " served a blob of digest " + actual);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void exec(List<String> command, Path log) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
