package io.archscaler.scaler.readiness;

import java.util.List;

/**
 * An image with no arm64 build, the workloads it blocks, and the saving they forgo together (a
 * workload blocked by two images counts under both).
 */
public record BlockedImage(String image, List<String> platforms, List<WorkloadId> workloads, double forgonePerMonth) {
    public BlockedImage {
        platforms = List.copyOf(platforms);
        workloads = List.copyOf(workloads);
    }
}
