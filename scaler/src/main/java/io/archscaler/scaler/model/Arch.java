package io.archscaler.scaler.model;

import java.util.Locale;
import java.util.Optional;

/** A CPU architecture as Kubernetes names it in the {@code kubernetes.io/arch} label. */
public enum Arch {
    AMD64("amd64"),
    ARM64("arm64");

    private final String label;

    Arch(String label) {
        this.label = label;
    }

    /** The value of the {@code kubernetes.io/arch} label. */
    public String label() {
        return label;
    }

    /** The architecture a label value names, if it is one Archscaler schedules on. */
    public static Optional<Arch> fromLabel(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.label.equals(v)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
