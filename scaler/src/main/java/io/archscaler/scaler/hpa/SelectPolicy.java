package io.archscaler.scaler.hpa;

import java.util.Optional;

/** {@code selectPolicy} of a scaling direction: the policy allowing the biggest change, the smallest, or none. */
public enum SelectPolicy {
    MAX("Max"),
    MIN("Min"),
    DISABLED("Disabled");

    private final String apiName;

    SelectPolicy(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<SelectPolicy> parse(String word) {
        for (SelectPolicy s : values()) {
            if (s.apiName.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
