package io.archscaler.controlplane;

import java.nio.file.Path;

/**
 * helm, as {@code tools/helm/install} builds it from the Go module {@code helm.sh/helm/v4}: the
 * directory holding {@code helm}, named by the system property {@code archscaler.helm.bin} or the
 * environment variable {@code ARCHSCALER_HELM_BIN}. A missing binary is an error telling how to
 * build it, never a reason to skip.
 */
public record HelmBinary(Path file) {
    public static final String PROPERTY = "archscaler.helm.bin";
    public static final String ENV = "ARCHSCALER_HELM_BIN";

    /** The configured binary, checked to be there; an {@link IllegalStateException} saying what to run otherwise. */
    public static HelmBinary locate() {
        return new HelmBinary(ControlPlaneBinaries.requireTool("helm", "helm", PROPERTY, ENV, "tools/helm/install"));
    }
}
