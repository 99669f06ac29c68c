package io.archscaler.kube;

import io.archscaler.scaler.model.InvalidQuantityException;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.LinkedHashMap;
import java.util.Map;

/** fabric8 resource lists to model {@link Resources}, with errors that name the object. */
final class Quantities {
    private Quantities() {
    }

    /** The quantity as written ({@code 500m}, {@code 1Gi}). */
    static String text(Quantity q) {
        if (q == null) {
            return null;
        }
        String amount = q.getAmount() == null ? "" : q.getAmount();
        return q.getFormat() == null ? amount : amount + q.getFormat();
    }

    static Map<String, String> texts(Map<String, Quantity> list) {
        Map<String, String> out = new LinkedHashMap<>();
        if (list != null) {
            list.forEach((k, v) -> out.put(k, text(v)));
        }
        return out;
    }

    /** Parses a resource list; {@code object} ({@code pod default/web-1}) and {@code field} name a bad entry. */
    static Resources parse(String object, String field, Map<String, String> list) {
        try {
            return Resources.parse(field, list);
        } catch (InvalidQuantityException e) {
            throw new KubeTranslationException(object + ": " + e.getMessage(), e);
        }
    }
}
