package io.archscaler.scaler.model;

import java.util.List;

/**
 * Grow {@code nodeGroup} from {@code from} to {@code to} nodes for {@code pods}
 * ({@code namespace/name}).
 *
 * @param fallback     why pods that could run on arm64 were put on this amd64 group, or null
 * @param capacityType the group's: spot or on-demand
 */
public record ScaleUp(String nodeGroup, Arch arch, int from, int to, List<String> pods, Fallback fallback,
                      CapacityType capacityType) {
    public ScaleUp {
        pods = List.copyOf(pods);
        capacityType = capacityType == null ? CapacityType.ON_DEMAND : capacityType;
    }

    /** A scale-up of an on-demand group. */
    public ScaleUp(String nodeGroup, Arch arch, int from, int to, List<String> pods, Fallback fallback) {
        this(nodeGroup, arch, from, to, pods, fallback, CapacityType.ON_DEMAND);
    }

    public int delta() {
        return to - from;
    }

    /** The planner's sentence for the fallback, or null when this is none. */
    public String fallbackReason() {
        return fallback == null ? null : fallback.reason();
    }
}
