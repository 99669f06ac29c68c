package io.archscaler.images;

import java.util.Locale;

/** How the placement webhook answered a pod, in the words metrics label it with. */
public enum ReviewOutcome {
    /** Pinned to the architectures its images have. */
    PATCHED,
    /** Looked up, and every image runs everywhere (or nothing could be learnt). */
    UNCHANGED,
    /** Not looked at: a DaemonSet pod, a pod that constrains its arch itself, not a pod creation. */
    SKIPPED,
    /** The lookups did not finish within the webhook's timeout; the pod was let through unchanged. */
    TIMEOUT,
    /** Something went wrong; the pod was let through unchanged. */
    ERROR;

    /** {@code patched}, {@code unchanged}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
