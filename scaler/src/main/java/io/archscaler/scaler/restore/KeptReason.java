package io.archscaler.scaler.restore;

import io.archscaler.scaler.scaledown.UnremovableReason;

/**
 * Why an amd64 node's pods do not move to arm64 now, as a low-cardinality metric label; the rules
 * shared with scale-down keep scale-down's words.
 */
public enum KeptReason {
    NOT_AUTOSCALED("NotAutoscaled"),
    NOT_READY("NotReady"),
    CORDONED("Cordoned"),
    SCALE_DOWN_DISABLED("ScaleDownDisabledAnnotation"),
    DO_NOT_DISRUPT("DoNotDisruptAnnotation"),
    NOT_SAFE_TO_EVICT("NotSafeToEvictAnnotation"),
    NOT_REPLICATED("NotReplicated"),
    KUBE_SYSTEM_POD("UnmovableKubeSystemPod"),
    LOCAL_STORAGE("LocalStorageRequested"),
    NOT_ENOUGH_PDB("NotEnoughPdb"),
    MIN_SIZE_REACHED("NodeGroupMinSizeReached"),
    /** No pod to move: an empty node is scale-down's to remove. */
    EMPTY("Empty"),
    /** A pod's architectures (selectors, affinity, known image platforms) leave out arm64. */
    NEEDS_AMD64("PodNeedsAmd64"),
    /** A pod's images are unknown and {@code images.onUnknown} is {@code assume-amd64}. */
    UNKNOWN_IMAGES("UnknownImages"),
    /** The groups' ranking keeps the pods on amd64 and {@code scaleDown.consolidate} is off. */
    AMD64_PREFERRED("Amd64Preferred"),
    /** No trusted arm64 room or group can take every pod (backoff, circuit not closed, maxSize, limits, fit). */
    NO_ARM64_ROOM("NoArm64Room"),
    /** The move would save less per hour than {@code restore.minSavingPerHour}, or nothing at all for a replace. */
    SAVING_TOO_SMALL("SavingTooSmall"),
    /** {@code restore.maxNodes} moving at once, or {@code restore.perInterval} moves in the interval, reached. */
    BUDGET_REACHED("RestoreBudgetReached"),
    /** A move of this node was undone within {@code restore.interval}. */
    RECENTLY_UNDONE("RecentlyUndone");

    private final String label;

    KeptReason(String label) {
        this.label = label;
    }

    /** The word used in metrics and logs. */
    public String label() {
        return label;
    }

    /** The same rule as scale-down's, for the node and pod rules both planners share. */
    static KeptReason of(UnremovableReason reason) {
        return switch (reason) {
            case SCALE_DOWN_DISABLED -> SCALE_DOWN_DISABLED;
            case DO_NOT_DISRUPT -> DO_NOT_DISRUPT;
            case NOT_SAFE_TO_EVICT -> NOT_SAFE_TO_EVICT;
            case NOT_REPLICATED -> NOT_REPLICATED;
            case KUBE_SYSTEM_POD -> KUBE_SYSTEM_POD;
            case LOCAL_STORAGE -> LOCAL_STORAGE;
            case NOT_ENOUGH_PDB -> NOT_ENOUGH_PDB;
            default -> throw new IllegalArgumentException("not a pod or node rule: " + reason);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
