package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the images of one pod say about where it can run.
 *
 * @param lookups     one lookup per distinct image, in the order the pod names them
 * @param archs       the architectures every image supports, or null when nothing is known
 * @param constraints the images that narrowed {@code archs}, as {@code reference=[amd64]} (or
 *                    {@code reference=unknown (timeout), assumed [amd64]})
 */
public record PodImages(List<ImageLookup> lookups, Set<Arch> archs, List<String> constraints) {
    public PodImages {
        lookups = List.copyOf(lookups);
        archs = archs == null ? null : Set.copyOf(archs);
        constraints = List.copyOf(constraints);
    }

    /** Combines lookups: the intersection of what each image supports; a failed lookup counts as {@code onUnknown} says. */
    static PodImages of(List<ImageLookup> lookups, RegistryConfig.OnUnknown onUnknown) {
        Set<Arch> archs = null;
        List<String> constraints = new ArrayList<>();
        for (ImageLookup lookup : lookups) {
            Set<Arch> supported;
            if (lookup instanceof ImagePlatforms platforms) {
                supported = platforms.schedulableArchs();
                if (!platforms.multiArch()) {
                    constraints.add(platforms.reference() + "=" + format(supported));
                }
            } else if (onUnknown == RegistryConfig.OnUnknown.ASSUME_AMD64) {
                supported = Set.of(Arch.AMD64);
                constraints.add(lookup.reference() + "=unknown (" + ((ImageLookupFailure) lookup).message()
                        + "), assumed " + format(supported));
            } else {
                continue;
            }
            if (archs == null) {
                archs = EnumSet.noneOf(Arch.class);
                archs.addAll(supported);
            } else {
                archs.retainAll(supported);
            }
        }
        return new PodImages(lookups, archs, constraints);
    }

    /** True when the images leave out some architecture (and leave at least one). */
    public boolean narrowsArchs() {
        return archs != null && !archs.isEmpty() && !archs.containsAll(EnumSet.allOf(Arch.class));
    }

    /** Why the pod is pinned, e.g. {@code images: registry-1.docker.io/library/legacy:1.0=[amd64]}. */
    public String reason() {
        return "images: " + String.join(", ", constraints);
    }

    static String format(Set<Arch> archs) {
        return archs.stream().sorted().map(Arch::label).collect(Collectors.joining(", ", "[", "]"));
    }
}
