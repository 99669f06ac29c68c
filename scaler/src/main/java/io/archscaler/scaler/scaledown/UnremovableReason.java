package io.archscaler.scaler.scaledown;

/** Why a node is kept, named as the Cluster Autoscaler names it where it has the same rule. */
public enum UnremovableReason {
    NOT_AUTOSCALED("NotAutoscaled"),
    SCALE_DOWN_DISABLED("ScaleDownDisabledAnnotation"),
    DO_NOT_DISRUPT("DoNotDisruptAnnotation"),
    NOT_READY("NotReady"),
    NOT_UNDERUTILIZED("NotUnderutilized"),
    NOT_SAFE_TO_EVICT("NotSafeToEvictAnnotation"),
    NOT_REPLICATED("NotReplicated"),
    KUBE_SYSTEM_POD("UnmovableKubeSystemPod"),
    LOCAL_STORAGE("LocalStorageRequested"),
    NOT_ENOUGH_PDB("NotEnoughPdb"),
    NO_PLACE_TO_MOVE_PODS("NoPlaceToMovePods"),
    MIN_SIZE_REACHED("NodeGroupMinSizeReached"),
    NOT_UNNEEDED_LONG_ENOUGH("NotUnneededLongEnough"),
    RECENTLY_ADDED("RecentlyAdded"),
    RECENTLY_FAILED("RecentlyFailed"),
    DISRUPTION_BUDGET_REACHED("DisruptionBudgetReached");

    private final String label;

    UnremovableReason(String label) {
        this.label = label;
    }

    /** The word used in metrics and logs. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
