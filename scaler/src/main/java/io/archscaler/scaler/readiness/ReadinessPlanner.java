package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.NodeGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges each workload's readiness for arm64 ({@link Assessment}), prices its move ({@link Pricing}),
 * and adds it all up by namespace and for the cluster. Pure: the same workloads and groups give the
 * same report.
 */
public final class ReadinessPlanner {
    private ReadinessPlanner() {
    }

    public static ReadinessReport report(List<Workload> workloads, List<NodeGroup> groups) {
        Pricing pricing = new Pricing(groups);
        List<WorkloadReport> reports = workloads.stream().sorted(Comparator.comparing(Workload::id))
                .map(w -> new WorkloadReport(w, Assessment.of(w), pricing.saving(w))).toList();
        Map<String, Totals> byNamespace = new TreeMap<>();
        Totals cluster = Totals.EMPTY;
        for (WorkloadReport r : reports) {
            byNamespace.merge(r.id().namespace(), Totals.EMPTY.plus(r), (a, b) -> a.plus(r));
            cluster = cluster.plus(r);
        }
        return new ReadinessReport(blockedImages(reports), reports, byNamespace, cluster, notes(reports, pricing));
    }

    private static List<BlockedImage> blockedImages(List<WorkloadReport> reports) {
        Map<String, List<WorkloadReport>> byImage = new LinkedHashMap<>();
        Map<String, List<String>> platforms = new TreeMap<>();
        for (WorkloadReport r : reports) {
            for (ImageSupport image : r.assessment().blockingImages()) {
                byImage.computeIfAbsent(image.image(), k -> new ArrayList<>()).add(r);
                platforms.putIfAbsent(image.image(), image.platforms());
            }
        }
        List<BlockedImage> out = new ArrayList<>();
        byImage.forEach((image, blocked) -> out.add(new BlockedImage(image, platforms.get(image),
                blocked.stream().map(WorkloadReport::id).toList(),
                blocked.stream().mapToDouble(r -> r.saving().perMonth()).sum())));
        out.sort(Comparator.comparingDouble(BlockedImage::forgonePerMonth).reversed().thenComparing(BlockedImage::image));
        return out;
    }

    private static List<String> notes(List<WorkloadReport> reports, Pricing pricing) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Pricing: each node group's pricePerHour is split %.0f%% to its vCPUs and"
                        + " %.0f%% to its GiB of memory (capacity from its template); a pod costs its requested cpu"
                        + " and memory at those rates; a month is %.0f hours.", GroupPrice.CPU_SHARE * 100,
                (1 - GroupPrice.CPU_SHARE) * 100, Pricing.HOURS_PER_MONTH));
        notes.add("amd64 price: the group the pods run in now; pods on no known group, or not scheduled, at the"
                + " cheapest amd64 group for their requests.");
        notes.add("arm64 price: the arm64 group the planner would pick (highest weight, then lowest price, among the"
                + " groups whose template holds one replica); its taints and other labels are not looked at.");
        notes.add("Savings count ready workloads; blocked ones show the saving they forgo, unknown ones the saving"
                + " at stake. Pods on arm64 already count as moved.");
        if (reports.stream().anyMatch(r -> r.workload().isDaemonSet())) {
            notes.add("DaemonSets run one pod per node: they are priced as their pods run now, and their count"
                    + " follows the nodes rather than the workload.");
        }
        List<String> unpriced = pricing.unpricedGroups();
        if (!unpriced.isEmpty()) {
            notes.add("Groups with no price (or no cpu/memory in their template) are left out of pricing: "
                    + String.join(", ", unpriced) + ".");
        }
        return notes;
    }
}
