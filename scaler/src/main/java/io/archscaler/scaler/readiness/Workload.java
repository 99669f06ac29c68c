package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.PendingPod;

import java.util.List;

/**
 * One workload of a snapshot, reduced to what its readiness for arm64 depends on.
 *
 * @param template   one replica: its requests (per replica), nodeSelector and required node affinity
 * @param images     its images (init containers too), distinct, in the order the pod names them
 * @param placements where its pods run now; the replicas counted are their sum
 */
public record Workload(WorkloadId id, PendingPod template, List<ImageSupport> images, List<PodPlacement> placements) {
    public static final String DAEMON_SET = "DaemonSet";

    public Workload {
        images = List.copyOf(images);
        placements = List.copyOf(placements);
    }

    /** The pods counted: every placement's. */
    public int pods() {
        return placements.stream().mapToInt(PodPlacement::pods).sum();
    }

    public boolean isDaemonSet() {
        return DAEMON_SET.equals(id.kind());
    }
}
