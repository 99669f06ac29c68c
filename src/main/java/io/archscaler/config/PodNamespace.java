package io.archscaler.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The namespace Archscaler's pod runs in: {@code POD_NAMESPACE} (downward API), else the service account's. */
public final class PodNamespace {
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private PodNamespace() {
    }

    public static Optional<String> current() {
        String env = System.getenv("POD_NAMESPACE");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        try {
            if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
                String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE, StandardCharsets.UTF_8).trim();
                return ns.isEmpty() ? Optional.empty() : Optional.of(ns);
            }
        } catch (IOException e) {
            // outside a pod: fall back to the default
        }
        return Optional.empty();
    }
}
