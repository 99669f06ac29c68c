package io.archscaler.config;

import io.archscaler.images.RegistryConfig;

/**
 * How Archscaler learns the architectures of pods' images: whether it looks them up before
 * planning, the registries it asks, and whether a pod that crashed with {@code exec format error}
 * on arm64 is evicted so it is planned on amd64.
 */
public record ImagesConfig(boolean resolve, RegistryConfig registries, boolean evictMisplaced) {
    public static final ImagesConfig DEFAULTS = new ImagesConfig(true, RegistryConfig.defaults(), false);
}
