package io.archscaler.reliability;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --config} reads a config mounted from a Kubernetes Secret as the kubelet lays it out:
 * a read-only timestamped directory, a {@code ..data} link to it, and the file a link through
 * {@code ..data}, so a Secret can replace the ConfigMap without any change to Archscaler.
 */
class SecretMountedConfigTest {
    @TempDir
    Path mount;

    @Test
    void aConfigFileMountedFromASecretIsReadThroughTheKubeletsLinks() throws IOException {
        Path version = Files.createDirectory(mount.resolve("..2026_11_22_10_00_00.123456789"));
        Path file = Files.writeString(version.resolve("config.yaml"), """
                cluster: prod
                nodeGroups:
                  - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 3}
                """, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
        Path config = Files.createSymbolicLink(mount.resolve("config.yaml"), Path.of("..data", "config.yaml"));

        ArchscalerConfig loaded = ConfigLoader.standard().load(config);

        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxr-xr-x"));
        boolean read = loaded.cluster().equals("prod") && loaded.nodeGroupNames().equals(java.util.List.of("arm"));
        ReliabilityLog.write(new ReliabilityLog.Check("secret-mounted-config", "Config from a mounted Secret",
                "run --config through the kubelet's Secret volume layout (read-only ..TIMESTAMP directory, ..data "
                        + "link, file link)", 1, read ? 0 : 1,
                read ? "read through the links" : "NOT read"));
        assertThat(loaded.cluster()).isEqualTo("prod");
        assertThat(loaded.nodeGroupNames()).containsExactly("arm");
    }
}
