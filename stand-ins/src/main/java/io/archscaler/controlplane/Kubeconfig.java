package io.archscaler.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file for one user of the control plane, with its certificates inline. */
final class Kubeconfig {
    private Kubeconfig() {
    }

    /** Writes a kubeconfig for {@code server} that trusts {@code caPem} and authenticates with {@code user}'s client certificate. */
    static Path write(Path file, String server, String caPem, String userName, PemKeyPair user) {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: archscaler-e2e
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: archscaler-e2e
                  context:
                    cluster: archscaler-e2e
                    user: %s
                current-context: archscaler-e2e
                """.formatted(server, PemKeyPair.base64(caPem), userName, user.certificateBase64(), user.privateKeyBase64(),
                userName);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
