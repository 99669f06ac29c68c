package io.archscaler.observability;

import io.archscaler.controlplane.HelmBinary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the helm that {@code tools/helm/install} built (named by {@code -Darchscaler.helm.bin}, as
 * tools/test passes it) on the repository's chart {@code charts/archscaler}. Without that binary the
 * calling test fails, saying how to build it.
 */
public final class Helm {
    /** The chart, relative to the repository root. */
    public static final String CHART = "charts/archscaler";

    private Helm() {
    }

    /** The chart's directory. */
    public static Path chart() {
        return RepoFiles.root().resolve(CHART);
    }

    /** A values file of the chart's {@code ci/} directory, e.g. {@code eks-values.yaml}. */
    public static Path ciValues(String file) {
        return chart().resolve("ci").resolve(file);
    }

    /**
     * {@code helm template RELEASE charts/archscaler -n NAMESPACE [-f FILE]... [ARG]...}, parsed; a failed
     * render fails the calling test with helm's message.
     */
    public static List<Map<String, Object>> template(String release, String namespace, List<Path> valuesFiles,
                                                     String... extraArgs) throws Exception {
        Tools.Result r = run(templateArgs(release, namespace, valuesFiles, extraArgs));
        if (r.exitCode() != 0) {
            throw new AssertionError("helm template " + valuesFiles + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return Rendered.parse(r.stdout());
    }

    /** The same render, expected to fail: what helm said. */
    static String templateFailure(List<Path> valuesFiles, String... extraArgs) throws Exception {
        Tools.Result r = run(templateArgs("archscaler", "archscaler", valuesFiles, extraArgs));
        if (r.exitCode() == 0) {
            throw new AssertionError("helm template " + List.of(extraArgs) + " was expected to fail, and rendered:\n" + r.stdout());
        }
        return r.stderr();
    }

    /** Runs helm with {@code args} (the binary's path goes first), waiting at most two minutes. */
    public static Tools.Result run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(HelmBinary.locate().file().toString());
        command.addAll(args);
        return Tools.run(command, null, 120);
    }

    private static List<String> templateArgs(String release, String namespace, List<Path> valuesFiles, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", release, chart().toString(), "--namespace", namespace));
        for (Path file : valuesFiles) {
            args.add("--values");
            args.add(file.toString());
        }
        args.addAll(List.of(extraArgs));
        return args;
    }
}
