package io.archscaler.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The directory holding the control plane's binaries, as {@code tools/control-plane/install} builds
 * them: named by the system property {@code archscaler.controlPlane.bin} or the environment variable
 * {@code ARCHSCALER_CONTROL_PLANE_BIN}. Missing binaries are an error telling how to build them,
 * never a reason to skip.
 */
public record ControlPlaneBinaries(Path dir) {
    public static final String PROPERTY = "archscaler.controlPlane.bin";
    public static final String ENV = "ARCHSCALER_CONTROL_PLANE_BIN";
    static final List<String> REQUIRED = List.of("etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager",
            "kwok", "kubectl");
    /** What the commands that need the binaries tell a user who has none yet. */
    public static final String HOW_TO_BUILD = "  build them once (about 20 minutes on 2 cores; Go needed): tools/control-plane/install;"
            + " ./archscaler then finds them in its cache";
    /** kwok's stages (Nodes Ready, pods Running, deleted pods gone), which the install script puts beside the binaries. */
    static final String KWOK_STAGES = "kwok-stages.yaml";

    /** The configured directory, checked to hold every binary; an {@link IllegalStateException} saying what to run otherwise. */
    public static ControlPlaneBinaries locate() {
        Path dir = configured().orElseThrow(() -> new IllegalStateException("the control-plane binaries are not configured: run "
                + "tools/control-plane/install and pass the directory it prints as -D" + PROPERTY + "=DIR or " + ENV
                + "=DIR (tools/test does both)"));
        List<String> missing = new java.util.ArrayList<>(REQUIRED.stream().filter(b -> !Files.isExecutable(dir.resolve(b))).toList());
        if (!Files.isReadable(dir.resolve(KWOK_STAGES))) {
            missing.add(KWOK_STAGES);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(dir + " lacks " + missing + ": run tools/control-plane/install and pass the "
                    + "directory it prints as -D" + PROPERTY + " or " + ENV);
        }
        return new ControlPlaneBinaries(dir);
    }

    /** The directory named by the property or the environment, if any (not checked). */
    public static Optional<Path> configured() {
        return configured(PROPERTY, ENV);
    }

    /** The path named by the system property {@code property} or else the environment variable {@code env}, if any. */
    static Optional<Path> configured(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()));
    }

    /**
     * The executable {@code name} of the tool {@code tool} in the directory named by {@code property} or
     * {@code env}, as the script {@code install} (e.g. {@code tools/helm/install}) builds it; an
     * {@link IllegalStateException} saying what to run when it is not configured or not there.
     */
    static Path requireTool(String tool, String name, String property, String env, String install) {
        Path dir = configured(property, env).orElseThrow(() -> new IllegalStateException(tool + " is not configured: run "
                + install + " and pass the directory it prints as -D" + property + "=DIR or " + env + "=DIR (tools/test does both)"));
        Path file = dir.resolve(name);
        if (!Files.isExecutable(file)) {
            throw new IllegalStateException(dir + " has no " + name + " binary: run " + install
                    + " and pass the directory it prints as -D" + property + " or " + env);
        }
        return file;
    }

    /** The path of one binary, e.g. {@code kubectl}. */
    public Path binary(String name) {
        return dir.resolve(name);
    }
}
