package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ScaleDown;

import java.util.List;

/**
 * A node to remove, why, and the pods that must be evicted first (DaemonSet and mirror pods
 * excluded).
 */
public record Removal(String nodeGroup, String node, Arch arch, Kind kind, String reason, List<String> pods) {
    /** What kind of removal, as a low-cardinality metric label. */
    public enum Kind {
        /** No pod to move. */
        EMPTY("empty"),
        /** Below the utilization threshold, its pods fit elsewhere. */
        UNDERUTILIZED("underutilized"),
        /** A busy amd64 node whose pods all fit free arm64 room ({@code consolidate: true}). */
        CONSOLIDATION("consolidation");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Removal {
        pods = List.copyOf(pods);
    }

    public ScaleDown toScaleDown() {
        return new ScaleDown(nodeGroup, node, reason);
    }
}
