package io.archscaler.scaler.restore;

/** What the restore planner assumes about a pod whose images' platforms are unknown ({@code images.onUnknown}). */
public enum UnknownImages {
    /** Nothing: the pod moves on its own constraints alone. */
    ASSUME_MULTIARCH,
    /** That they are amd64-only: the pod stays where it is. */
    ASSUME_AMD64
}
