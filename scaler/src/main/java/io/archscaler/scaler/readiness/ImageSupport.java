package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Arch;

import java.util.List;
import java.util.Set;

/**
 * What is known of one image of a workload: the platforms its registry publishes, or why they are not known.
 *
 * @param image     the image as the pod spec writes it ({@code acme/legacy:1.2})
 * @param platforms the published platforms ({@code linux/amd64}, {@code linux/arm64/v8}); empty when unknown
 * @param archs     the architectures Archscaler schedules the image on, or null when unknown
 * @param unknown   why the platforms are not known ({@code unreachable: connection refused}), or null
 */
public record ImageSupport(String image, List<String> platforms, Set<Arch> archs, String unknown) {
    public ImageSupport {
        platforms = List.copyOf(platforms);
        archs = archs == null ? null : Set.copyOf(archs);
        if ((archs == null) == (unknown == null)) {
            throw new IllegalArgumentException(image + ": give either the archs or why they are unknown");
        }
    }

    /** An image whose registry answered. */
    public static ImageSupport known(String image, List<String> platforms, Set<Arch> archs) {
        return new ImageSupport(image, platforms, archs, null);
    }

    /** An image whose platforms could not be learnt, and why. */
    public static ImageSupport unknown(String image, String why) {
        return new ImageSupport(image, List.of(), null, why);
    }

    public boolean isKnown() {
        return archs != null;
    }

    /** Known to have no build for the architecture. */
    public boolean lacks(Arch arch) {
        return archs != null && !archs.contains(arch);
    }
}
