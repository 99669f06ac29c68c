package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a pod's own arch constraints and writes the JSON Patch that adds required node affinity (arch pin, spot exclusion). */
final class ArchPatch {
    static final String ARCH_LABEL = "kubernetes.io/arch";
    static final List<String> ARCH_LABELS = List.of(ARCH_LABEL, "beta.kubernetes.io/arch");
    static final String SOURCE_ANNOTATION = "archscaler.io/arch-source";
    private static final String REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution";
    private static final String TERMS = "nodeSelectorTerms";
    private static final String EXPRESSIONS = "matchExpressions";

    private ArchPatch() {
    }

    /** Whether the pod says itself which architectures it runs on (nodeSelector or required node affinity). */
    static boolean constrainsArch(JsonObject pod) {
        JsonObject spec = object(pod, "spec");
        JsonObject selector = object(spec, "nodeSelector");
        if (selector != null && ARCH_LABELS.stream().anyMatch(selector::containsKey)) {
            return true;
        }
        JsonArray terms = array(object(object(object(spec, "affinity"), "nodeAffinity"), REQUIRED), TERMS);
        for (int i = 0; terms != null && i < terms.size(); i++) {
            JsonArray expressions = array(object(terms, i), EXPRESSIONS);
            for (int j = 0; expressions != null && j < expressions.size(); j++) {
                JsonObject expression = object(expressions, j);
                if (expression != null && ARCH_LABELS.contains(string(expression, "key"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean ownedByDaemonSet(JsonObject pod) {
        JsonArray owners = array(object(pod, "metadata"), "ownerReferences");
        for (int i = 0; owners != null && i < owners.size(); i++) {
            if ("DaemonSet".equals(string(object(owners, i), "kind"))) {
                return true;
            }
        }
        return false;
    }

    /** The required node affinity expression that pins a pod to {@code archs}. */
    static JsonObject archExpression(Set<Arch> archs) {
        JsonArray values = new JsonArray();
        archs.stream().sorted().forEach(a -> values.add(a.label()));
        return new JsonObject().put("key", ARCH_LABEL).put("operator", "In").put("values", values);
    }

    /**
     * The JSON Patch that adds {@code kubernetes.io/arch In archs} to the pod's required node affinity
     * and says why in the {@code archscaler.io/arch-source} annotation.
     */
    static JsonArray patch(JsonObject pod, Set<Arch> archs, String reason) {
        return patch(pod, List.of(archExpression(archs)), Map.of(SOURCE_ANNOTATION, reason));
    }

    /**
     * The JSON Patch that adds {@code expressions} to the pod's required node affinity and sets
     * {@code annotations} saying why. Terms are ORed, so the expressions go into every existing term;
     * an empty term matches nothing and is left so.
     */
    static JsonArray patch(JsonObject pod, List<JsonObject> expressions, Map<String, String> annotations) {
        JsonArray ops = new JsonArray();
        JsonObject spec = object(pod, "spec");
        JsonObject affinity = object(spec, "affinity");
        JsonObject nodeAffinity = object(affinity, "nodeAffinity");
        JsonObject required = object(nodeAffinity, REQUIRED);
        JsonArray terms = array(required, TERMS);
        String requiredPath = "/spec/affinity/nodeAffinity/" + REQUIRED;
        if (affinity == null) {
            ops.add(add("/spec/affinity", new JsonObject().put("nodeAffinity", requiredWith(expressions))));
        } else if (nodeAffinity == null) {
            ops.add(add("/spec/affinity/nodeAffinity", requiredWith(expressions)));
        } else if (required == null) {
            ops.add(add(requiredPath, termsWith(expressions)));
        } else if (terms == null || terms.isEmpty()) {
            ops.add(add(requiredPath + "/" + TERMS, termsWith(expressions).getJsonArray(TERMS)));
        } else {
            for (int i = 0; i < terms.size(); i++) {
                JsonObject term = object(terms, i);
                if (term == null || isEmptyTerm(term)) {
                    continue;
                }
                String termPath = requiredPath + "/" + TERMS + "/" + i + "/" + EXPRESSIONS;
                if (array(term, EXPRESSIONS) == null) {
                    ops.add(add(termPath, copies(expressions)));
                } else {
                    expressions.forEach(e -> ops.add(add(termPath + "/-", e.copy())));
                }
            }
        }
        JsonObject metadata = object(pod, "metadata");
        JsonObject said = new JsonObject();
        annotations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(a -> said.put(a.getKey(), a.getValue()));
        if (metadata == null) {
            ops.add(add("/metadata", new JsonObject().put("annotations", said)));
        } else if (object(metadata, "annotations") == null) {
            ops.add(add("/metadata/annotations", said));
        } else {
            said.forEach(a -> ops.add(add("/metadata/annotations/" + escape(a.getKey()), a.getValue())));
        }
        return ops;
    }

    /** Escapes a key for a JSON Pointer (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static boolean isEmptyTerm(JsonObject term) {
        JsonArray expressions = array(term, EXPRESSIONS);
        JsonArray fields = array(term, "matchFields");
        return (expressions == null || expressions.isEmpty()) && (fields == null || fields.isEmpty());
    }

    private static JsonObject requiredWith(List<JsonObject> expressions) {
        return new JsonObject().put(REQUIRED, termsWith(expressions));
    }

    private static JsonObject termsWith(List<JsonObject> expressions) {
        return new JsonObject().put(TERMS, new JsonArray().add(new JsonObject().put(EXPRESSIONS, copies(expressions))));
    }

    private static JsonArray copies(List<JsonObject> expressions) {
        JsonArray copies = new JsonArray();
        expressions.forEach(e -> copies.add(e.copy()));
        return copies;
    }

    private static JsonObject add(String path, Object value) {
        return new JsonObject().put("op", "add").put("path", path).put("value", value);
    }

    static JsonObject object(JsonObject parent, String key) {
        return parent != null && parent.getValue(key) instanceof JsonObject o ? o : null;
    }

    static JsonArray array(JsonObject parent, String key) {
        return parent != null && parent.getValue(key) instanceof JsonArray a ? a : null;
    }

    static String string(JsonObject parent, String key) {
        return parent != null && parent.getValue(key) instanceof String s ? s : null;
    }

    private static JsonObject object(JsonArray array, int i) {
        return array.getValue(i) instanceof JsonObject o ? o : null;
    }
}
