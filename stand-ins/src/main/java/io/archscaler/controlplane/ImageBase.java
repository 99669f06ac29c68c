package io.archscaler.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java base image {@code tools/image/install} assembles from Debian's packages for linux/amd64 and
 * linux/arm64, as an OCI image layout tagged {@link #TAG}: the directory that script prints, named by the
 * system property {@code archscaler.imageBase.dir} or the environment variable {@code ARCHSCALER_IMAGE_BASE}.
 * A missing base is an error telling how to assemble it, never a reason to skip.
 */
public record ImageBase(Path layout) {
    public static final String PROPERTY = "archscaler.imageBase.dir";
    public static final String ENV = "ARCHSCALER_IMAGE_BASE";
    public static final String TAG = "17";

    /** The configured layout, checked to be one; an {@link IllegalStateException} saying what to run otherwise. */
    public static ImageBase locate() {
        Path dir = ControlPlaneBinaries.configured(PROPERTY, ENV).orElseThrow(() -> new IllegalStateException(
                "the image base is not configured: run tools/image/install and pass the directory it prints as -D" + PROPERTY
                        + "=DIR or " + ENV + "=DIR (tools/test does both)"));
        Path layout = dir.resolve("oci");
        if (!Files.isRegularFile(layout.resolve("index.json"))) {
            throw new IllegalStateException(dir + " holds no OCI layout (oci/index.json): run tools/image/install and pass the "
                    + "directory it prints as -D" + PROPERTY + " or " + ENV);
        }
        return new ImageBase(layout);
    }
}
