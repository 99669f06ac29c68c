package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;

import java.util.List;

/**
 * A node that could go now: its pods may all move and fit elsewhere.
 *
 * @param utilization the larger of its cpu and memory requested/allocatable ratios (DaemonSet
 *                    and mirror pods left out)
 * @param fitsArm64   its pods all fit free room on arm64 nodes
 * @param pods        the pods that would have to move, by {@code namespace/name}
 */
public record Candidate(String node, String nodeGroup, Arch arch, Removal.Kind kind, double utilization,
                        boolean fitsArm64, List<String> pods) {
    public Candidate {
        pods = List.copyOf(pods);
    }
}
