package io.archscaler.observability;

import io.archscaler.controlplane.ControlPlaneBinaries;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects {@code kubectl kustomize} renders from a directory of the repository, and ways to read them. */
public final class Rendered {
    private Rendered() {
    }

    /**
     * Renders {@code dir} (relative to the repository root) with {@code kubectl kustomize}. Without
     * kubectl the calling test fails, saying how to get it; a failed render fails it too.
     */
    public static List<Map<String, Object>> of(String dir) throws Exception {
        Path root = RepoFiles.root();
        Tools.Result r = Tools.run(List.of(kubectl().toString(), "kustomize", root.resolve(dir).toString()), null, 120);
        if (r.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return parse(r.stdout());
    }

    /** The objects of a multi-document YAML stream, empty documents left out. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                out.add((Map<String, Object>) doc);
            }
        }
        return out;
    }

    /** The kubectl tools/control-plane/install built (the directory the end-to-end tests are given), else kubectl from PATH. */
    static Path kubectl() {
        Optional<Path> built = ControlPlaneBinaries.configured().map(d -> d.resolve("kubectl")).filter(Files::isExecutable);
        return built.or(() -> Tools.find("kubectl")).orElseThrow(() -> new AssertionError("kubectl is not installed (not on "
                + "PATH, and no -D" + ControlPlaneBinaries.PROPERTY + " directory holding it): run tools/test, or "
                + "tools/control-plane/install and put the directory it prints on PATH"));
    }

    static List<String> kinds(List<Map<String, Object>> objects) {
        return objects.stream().map(o -> (String) o.get("kind")).toList();
    }

    static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    public static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        return all(objects, kind).stream().filter(o -> name.equals(path(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    /** Every rule of every ClusterRole and Role. */
    static List<Map<String, Object>> rules(List<Map<String, Object>> objects) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            if ("ClusterRole".equals(o.get("kind")) || "Role".equals(o.get("kind"))) {
                List<Map<String, Object>> rules = path(o, "rules");
                out.addAll(rules == null ? List.of() : rules);
            }
        }
        return out;
    }

    /** The value at a path of map keys, or null where the path ends early. */
    @SuppressWarnings("unchecked")
    static <T> T path(Map<String, Object> object, String... keys) {
        Object current = object;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return (T) current;
    }
}
