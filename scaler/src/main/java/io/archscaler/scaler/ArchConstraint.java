package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;

import java.util.Set;

/** How a pod's allowed architectures read in metrics and {@code /status}. */
public enum ArchConstraint {
    FLEXIBLE("flexible"),
    AMD64_ONLY("amd64-only"),
    ARM64_ONLY("arm64-only"),
    NONE("none");

    private final String label;

    ArchConstraint(String label) {
        this.label = label;
    }

    /** The word used as a metric label value and in {@code /status}. */
    public String label() {
        return label;
    }

    /** The constraint an allowed set (from {@link ArchResolver#allowed}) amounts to. */
    public static ArchConstraint of(Set<Arch> allowed) {
        if (allowed == null || allowed.isEmpty()) {
            return NONE;
        }
        if (allowed.size() > 1) {
            return FLEXIBLE;
        }
        return allowed.contains(Arch.ARM64) ? ARM64_ONLY : AMD64_ONLY;
    }

    @Override
    public String toString() {
        return label;
    }
}
