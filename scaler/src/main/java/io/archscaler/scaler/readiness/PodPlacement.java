package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Arch;

/**
 * Where some of a workload's pods run now.
 *
 * @param nodeGroup the configured node group of their node, or null (not a known group, or not scheduled)
 * @param arch      their node's architecture, or null when they are not scheduled (or the node's is not known)
 * @param pods      how many pods run there
 */
public record PodPlacement(String nodeGroup, Arch arch, int pods) {
    public PodPlacement {
        if (pods < 0) {
            throw new IllegalArgumentException("pods must not be negative, was " + pods);
        }
    }

    /** Not on any node yet (pending), or on a node whose architecture is not known. */
    public boolean unplaced() {
        return arch == null;
    }

    /** {@code arm-general (arm64)}, {@code amd64 (no known group)}, {@code not scheduled}. */
    public String where() {
        if (arch == null) {
            return nodeGroup == null ? "not scheduled" : nodeGroup;
        }
        return (nodeGroup == null ? "no known group" : nodeGroup) + " (" + arch.label() + ")";
    }
}
