package io.archscaler.scaler.readiness;

import java.util.List;
import java.util.Map;

/**
 * What a move to arm64 is worth, workload by workload.
 *
 * @param blockedImages images with no arm64 build, the largest forgone saving first
 * @param workloads     every workload, by namespace, kind and name
 * @param byNamespace   totals per namespace, by name
 * @param notes         the pricing rule and what was assumed, in sentences
 */
public record ReadinessReport(List<BlockedImage> blockedImages, List<WorkloadReport> workloads,
                              Map<String, Totals> byNamespace, Totals cluster, List<String> notes) {
    public ReadinessReport {
        blockedImages = List.copyOf(blockedImages);
        workloads = List.copyOf(workloads);
        byNamespace = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byNamespace));
        notes = List.copyOf(notes);
    }
}
