package io.archscaler.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository the observability tests read: dashboards, manifests, docs. */
public final class RepoFiles {
    private RepoFiles() {
    }

    /** The repository root: the nearest directory above the working directory holding grafana/ and deploy/. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("grafana")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no grafana/ and deploy/ above " + Path.of("").toAbsolutePath());
    }

    static Path grafana() {
        return root().resolve("grafana");
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    static Path alertRules() {
        return deploy().resolve("base/prometheusrule.yaml");
    }

    static Path adapterConfig() {
        return deploy().resolve("prometheus-adapter/adapter-config.yaml");
    }

    /** The dashboard JSON files, sorted. */
    static List<Path> dashboards() {
        return files(grafana()).stream().filter(p -> p.toString().endsWith(".json")).toList();
    }

    /** Every regular file under {@code dir}, sorted. */
    static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
