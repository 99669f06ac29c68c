package io.archscaler.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Cluster Autoscaler gRPC expander ({@code expander:}): served over TLS on {@code port} with the
 * PEM certificate and key; over plain HTTP/2 only when {@code plaintext} is set (tests: CA itself
 * refuses to dial without TLS).
 *
 * @param lookupTimeout how long image lookups may take before options are ranked on the pods'
 *                      constraints alone; the answer must reach CA well within its 5 s
 */
public record ExpanderConfig(int port, Optional<Path> certFile, Optional<Path> keyFile, boolean plaintext,
                             Duration lookupTimeout) {
    public static final int DEFAULT_PORT = 8444;
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofMillis(800);
    /** The longest lookup budget accepted: the answer must come within 1 s, CA waits 5 s at most. */
    public static final Duration MAX_LOOKUP_TIMEOUT = Duration.ofMillis(900);

    /** {@code expander: {port, certFile, keyFile, plaintext, lookupTimeout}}. */
    static ExpanderConfig parse(YamlSection s) {
        s.requireKnown("port", "certFile", "keyFile", "plaintext", "lookupTimeout");
        int port = s.between("port", DEFAULT_PORT, 0, 65535);
        Optional<Path> cert = s.optionalString("certFile").map(Path::of);
        Optional<Path> key = s.optionalString("keyFile").map(Path::of);
        boolean plaintext = s.bool("plaintext", false);
        if (cert.isPresent() != key.isPresent()) {
            throw s.error(cert.isPresent() ? "keyFile" : "certFile", "certFile and keyFile go together");
        }
        if (plaintext && cert.isPresent()) {
            throw s.error("plaintext", "give either plaintext: true or certFile and keyFile, not both");
        }
        if (!plaintext && cert.isEmpty()) {
            throw s.error("certFile", "is required: Cluster Autoscaler only dials its gRPC expander over TLS"
                    + " (plaintext: true is for tests)");
        }
        Duration lookup = s.positiveDuration("lookupTimeout", DEFAULT_LOOKUP_TIMEOUT);
        if (lookup.compareTo(MAX_LOOKUP_TIMEOUT) > 0) {
            throw s.error("lookupTimeout", "must be at most " + Durations.format(MAX_LOOKUP_TIMEOUT)
                    + ": the expander answers within 1s");
        }
        return new ExpanderConfig(port, cert, key, plaintext, lookup);
    }
}
