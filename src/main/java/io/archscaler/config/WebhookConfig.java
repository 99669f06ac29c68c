package io.archscaler.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The placement webhook ({@code POST /mutate-pods}): served over TLS on {@code port} when a
 * certificate and key are given, and on the plain HTTP port otherwise.
 */
public record WebhookConfig(boolean enabled, int port, Optional<Path> certFile, Optional<Path> keyFile,
                            Duration timeout) {
    public static final WebhookConfig DEFAULTS = new WebhookConfig(true, 8443, Optional.empty(), Optional.empty(),
            Duration.ofSeconds(2));

    public boolean tls() {
        return certFile.isPresent();
    }
}
