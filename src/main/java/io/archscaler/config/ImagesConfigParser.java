package io.archscaler.config;

import io.archscaler.images.RegistryConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code images}, {@code registries} and {@code webhook} blocks. */
final class ImagesConfigParser {
    private static final Map<String, RegistryConfig.OnUnknown> ON_UNKNOWN = Map.of(
            "assume-multiarch", RegistryConfig.OnUnknown.ASSUME_MULTIARCH,
            "assume-amd64", RegistryConfig.OnUnknown.ASSUME_AMD64);

    private ImagesConfigParser() {
    }

    static ImagesConfig images(YamlSection images, YamlSection registries) {
        images.requireKnown("resolve", "onUnknown", "evictMisplaced");
        registries.requireKnown("insecure", "mirrors", "ttl", "negativeTtl", "timeout", "maxConcurrent");
        RegistryConfig d = RegistryConfig.defaults();
        YamlSection m = registries.sectionOrEmpty("mirrors");
        Map<String, List<String>> mirrors = new LinkedHashMap<>();
        for (String host : m.keys()) {
            mirrors.put(host, m.strings(host));
        }
        RegistryConfig registry;
        try {
            registry = d.withInsecure(registries.strings("insecure"))
                    .withMirrors(mirrors)
                    .withTtls(registries.positiveDuration("ttl", d.ttl()),
                            registries.positiveDuration("negativeTtl", d.negativeTtl()))
                    .withTimeout(registries.positiveDuration("timeout", d.timeout()))
                    .withMaxConcurrent(registries.between("maxConcurrent", d.maxConcurrent(), 1, 1024))
                    .withOnUnknown(images.choice("onUnknown", ON_UNKNOWN, d.onUnknown()));
        } catch (IllegalArgumentException e) {
            throw registries.error(e.getMessage());
        }
        return new ImagesConfig(images.bool("resolve", ImagesConfig.DEFAULTS.resolve()), registry,
                images.bool("evictMisplaced", ImagesConfig.DEFAULTS.evictMisplaced()));
    }

    static WebhookConfig webhook(YamlSection s) {
        s.requireKnown("enabled", "port", "certFile", "keyFile", "timeout");
        WebhookConfig d = WebhookConfig.DEFAULTS;
        Optional<Path> cert = s.optionalString("certFile").map(Path::of);
        Optional<Path> key = s.optionalString("keyFile").map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            throw s.error(cert.isPresent() ? "keyFile" : "certFile", "certFile and keyFile go together");
        }
        return new WebhookConfig(s.bool("enabled", d.enabled()), s.between("port", d.port(), 0, 65535), cert, key,
                s.positiveDuration("timeout", d.timeout()));
    }
}
