package io.archscaler.readiness;

import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.readiness.ImageSupport;
import io.archscaler.scaler.readiness.PodPlacement;
import io.archscaler.scaler.readiness.Workload;
import io.archscaler.scaler.readiness.WorkloadId;

import java.util.List;
import java.util.Map;

/**
 * A workload as the snapshot shows it, before its images are looked up.
 *
 * @param images the images of its pod template (init containers too), as written there
 */
record WorkloadSpec(WorkloadId id, PendingPod template, List<String> images, List<PodPlacement> placements) {
    WorkloadSpec {
        images = List.copyOf(images);
        placements = List.copyOf(placements);
    }

    /** The workload with what is known of each of its images. */
    Workload with(Map<String, ImageSupport> support) {
        return new Workload(id, template, images.stream().map(support::get).toList(), placements);
    }
}
