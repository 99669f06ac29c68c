package io.archscaler.scaler.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable copies that leave out null entries: Kubernetes objects read from YAML may carry a
 * bare list item or a key without a value, which means nothing to scheduling.
 */
final class Copies {
    private Copies() {
    }

    static <T> List<T> list(List<T> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(in.size());
        for (T t : in) {
            if (t != null) {
                out.add(t);
            }
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, String> map(Map<String, String> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
