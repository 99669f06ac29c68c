package io.archscaler.images;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Archscaler talks to image registries ({@code registries:} in the configuration).
 *
 * @param insecure      registry hosts spoken to over plain HTTP (loopback hosts always are)
 * @param mirrors       registry host → mirror hosts, tried in order before the registry itself
 * @param ttl           how long a resolved lookup is kept (default 1h)
 * @param negativeTtl   how long a failed lookup is kept before it is tried again (default 5m)
 * @param timeout       how long one request to a registry may take (default 5s)
 * @param maxConcurrent how many lookups run at once; further lookups wait (default 8)
 * @param onUnknown     what to assume about an image whose lookup failed
 */
public record RegistryConfig(List<String> insecure, Map<String, List<String>> mirrors, Duration ttl,
                             Duration negativeTtl, Duration timeout, int maxConcurrent, OnUnknown onUnknown) {

    /** What to assume about an image whose platforms could not be learnt. */
    public enum OnUnknown {
        /** Nothing: the pod is planned on its own constraints alone. */
        ASSUME_MULTIARCH,
        /** That it is amd64-only, the safe guess for old images. */
        ASSUME_AMD64
    }

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CONCURRENT = 8;

    /**
     * Fills in defaults for what is null and normalises host names the way image references are.
     *
     * @throws IllegalArgumentException naming the field when a duration is not positive or
     *                                  {@code maxConcurrent} is below 1
     */
    public RegistryConfig {
        insecure = insecure == null ? List.of() : insecure.stream().map(ImageReference::canonicalHost).toList();
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (mirrors != null) {
            mirrors.forEach((host, list) -> m.put(ImageReference.canonicalHost(host), list == null ? List.of() : List.copyOf(list)));
        }
        mirrors = Map.copyOf(m);
        ttl = positive("registries.ttl", ttl, DEFAULT_TTL);
        negativeTtl = positive("registries.negativeTtl", negativeTtl, DEFAULT_NEGATIVE_TTL);
        timeout = positive("registries.timeout", timeout, DEFAULT_TIMEOUT);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("registries.maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        onUnknown = onUnknown == null ? OnUnknown.ASSUME_MULTIARCH : onUnknown;
    }

    /** The defaults: no insecure registries, no mirrors, 1h, 5m, 5s, 8, assume multi-arch. */
    public static RegistryConfig defaults() {
        return new RegistryConfig(List.of(), Map.of(), null, null, null, DEFAULT_MAX_CONCURRENT, null);
    }

    public RegistryConfig withInsecure(List<String> hosts) {
        return new RegistryConfig(hosts, mirrors, ttl, negativeTtl, timeout, maxConcurrent, onUnknown);
    }

    public RegistryConfig withMirrors(Map<String, List<String>> registryMirrors) {
        return new RegistryConfig(insecure, registryMirrors, ttl, negativeTtl, timeout, maxConcurrent, onUnknown);
    }

    public RegistryConfig withTimeout(Duration requestTimeout) {
        return new RegistryConfig(insecure, mirrors, ttl, negativeTtl, requestTimeout, maxConcurrent, onUnknown);
    }

    public RegistryConfig withTtls(Duration positive, Duration negative) {
        return new RegistryConfig(insecure, mirrors, positive, negative, timeout, maxConcurrent, onUnknown);
    }

    public RegistryConfig withMaxConcurrent(int max) {
        return new RegistryConfig(insecure, mirrors, ttl, negativeTtl, timeout, max, onUnknown);
    }

    public RegistryConfig withOnUnknown(OnUnknown assumption) {
        return new RegistryConfig(insecure, mirrors, ttl, negativeTtl, timeout, maxConcurrent, assumption);
    }

    /** The mirrors of a registry host, in the order they are tried. */
    public List<String> mirrorsOf(String registry) {
        return mirrors.getOrDefault(ImageReference.canonicalHost(registry), List.of());
    }

    /** Whether a registry host is spoken to over plain HTTP: loopback hosts and those listed insecure. */
    public boolean plainHttp(String host) {
        String h = ImageReference.canonicalHost(host);
        String bare = hostWithoutPort(h);
        return bare.equals("localhost") || bare.equals("[::1]") || isLoopbackV4(bare)
                || insecure.contains(h) || insecure.contains(bare);
    }

    private static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean isLoopbackV4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
