package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import java.util.Locale;
import java.util.Optional;

/**
 * A platform an image is published for, as an OCI index or a Docker manifest list names it.
 *
 * @param os           {@code linux}, {@code windows}, …
 * @param architecture {@code amd64}, {@code arm64}, {@code arm}, {@code ppc64le}, …
 * @param variant      {@code v8}, {@code v7}, … or null
 */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        os = os == null ? "" : os.toLowerCase(Locale.ROOT);
        architecture = normaliseArchitecture(architecture == null ? "" : architecture.toLowerCase(Locale.ROOT));
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    /** The architecture Archscaler can schedule this platform on, if any: only Linux platforms count. */
    public Optional<Arch> schedulableArch() {
        if (!os.equals("linux")) {
            return Optional.empty();
        }
        return Arch.fromLabel(architecture);
    }

    /** A placeholder platform that registries put on attestations and other non-images. */
    public boolean isUnknown() {
        return os.equals("unknown") && architecture.equals("unknown");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }

    // the same aliases containerd folds together (platforms.Normalize)
    private static String normaliseArchitecture(String architecture) {
        return switch (architecture) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386" -> "386";
            default -> architecture;
        };
    }
}
