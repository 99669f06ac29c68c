package io.archscaler.controller;

/** Turns the planner's fallback sentence into a low-cardinality metric label. */
final class FallbackReasons {
    private FallbackReasons() {
    }

    static String word(String reason) {
        if (reason == null) {
            return "none";
        }
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("circuit")) {
            return "circuit_open";
        }
        if (r.contains("backoff")) {
            return "backoff";
        }
        if (r.contains("maxsize") || r.contains("at max")) {
            return "max_size";
        }
        if (r.contains("limit") || r.contains("maxnodestotal")) {
            return "cluster_limit";
        }
        return "no_fit";
    }
}
