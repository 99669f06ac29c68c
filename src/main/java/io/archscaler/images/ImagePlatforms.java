package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The platforms an image is published for.
 *
 * @param reference        the normalised reference that was looked up
 * @param digest           the digest of the manifest (or index) the reference resolved to
 * @param platforms        every platform published, attestations left out
 * @param schedulableArchs the architectures Archscaler may place the image on (Linux, amd64 or arm64)
 */
public record ImagePlatforms(String reference, String digest, List<Platform> platforms, Set<Arch> schedulableArchs)
        implements ImageLookup {
    public ImagePlatforms {
        platforms = List.copyOf(platforms);
        schedulableArchs = Set.copyOf(schedulableArchs);
    }

    /** Platforms as published, with the schedulable architectures derived from them. */
    public static ImagePlatforms of(String reference, String digest, List<Platform> platforms) {
        Set<Arch> archs = EnumSet.noneOf(Arch.class);
        platforms.forEach(p -> p.schedulableArch().ifPresent(archs::add));
        return new ImagePlatforms(reference, digest, platforms, archs);
    }

    /** True when the image runs on every architecture Archscaler schedules on. */
    public boolean multiArch() {
        return schedulableArchs.containsAll(EnumSet.allOf(Arch.class));
    }

    ImagePlatforms withReference(String ref) {
        return new ImagePlatforms(ref, digest, platforms, schedulableArchs);
    }

    ImagePlatforms withSchedulableArchs(Set<Arch> archs) {
        return new ImagePlatforms(reference, digest, platforms, archs);
    }
}
