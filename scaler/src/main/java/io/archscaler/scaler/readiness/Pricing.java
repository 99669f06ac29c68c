package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prices a workload's move to arm64. A pod on amd64 costs what its group charges for its requests
 * ({@link GroupPrice}); a pod on no known group (or not scheduled) costs what the cheapest amd64
 * group would charge. On arm64 it costs what the group the planner would pick charges: among the
 * arm64 groups whose template holds one replica, the highest weight, then the lowest price for the
 * pod, then the name. Taints and label selectors other than the arch are not looked at: a move to
 * arm64 is assumed to bring the toleration the arm64 group needs.
 */
public final class Pricing {
    /** Hours in a month, as cloud price lists count them (8,760 / 12). */
    public static final double HOURS_PER_MONTH = 730;

    private final Map<String, NodeGroup> groups = new TreeMap<>();

    public Pricing(List<NodeGroup> groups) {
        groups.forEach(g -> this.groups.put(g.name(), g));
    }

    /** The groups that cannot be priced: no {@code pricePerHour}, or no cpu or memory in their template. */
    public List<String> unpricedGroups() {
        return groups.values().stream().filter(g -> GroupPrice.of(g) == null).map(NodeGroup::name).toList();
    }

    /** What moving the workload's pods that are not on arm64 yet is worth per month. */
    public Saving saving(Workload workload) {
        Resources replica = workload.template().requests();
        int moving = workload.placements().stream().filter(p -> p.arch() != Arch.ARM64).mapToInt(PodPlacement::pods).sum();
        if (moving == 0) {
            return Saving.nothingToMove();
        }
        Optional<NodeGroup> target = arm64Target(replica);
        if (target.isEmpty()) {
            return Saving.unpriced(moving, "no arm64 group holds one replica (" + Amount.cpu(replica.cpuMillis())
                    + " cpu, " + Amount.memory(replica.memoryBytes()) + ")");
        }
        GroupPrice arm = GroupPrice.of(target.get());
        if (arm == null) {
            return Saving.unpriced(moving, "arm64 group " + target.get().name() + " has no price");
        }
        Set<String> amdGroups = new LinkedHashSet<>();
        double amdHourly = 0;
        for (PodPlacement p : workload.placements()) {
            if (p.arch() == Arch.ARM64 || p.pods() == 0) {
                continue;
            }
            GroupPrice now = currentAmd64(p).or(() -> cheapestAmd64(replica)).orElse(null);
            if (now == null) {
                return Saving.unpriced(moving, "no amd64 group with a price to compare with");
            }
            amdGroups.add(now.name());
            amdHourly += p.pods() * now.hourly(replica);
        }
        return new Saving(moving, new Price(List.copyOf(amdGroups), amdHourly * HOURS_PER_MONTH),
                new Price(List.of(arm.name()), moving * arm.hourly(replica) * HOURS_PER_MONTH), null);
    }

    /** The priced amd64 group the pods run in, if they run in one. */
    private Optional<GroupPrice> currentAmd64(PodPlacement p) {
        NodeGroup g = p.nodeGroup() == null ? null : groups.get(p.nodeGroup());
        return g == null || g.arch() != Arch.AMD64 ? Optional.empty() : Optional.ofNullable(GroupPrice.of(g));
    }

    private Optional<GroupPrice> cheapestAmd64(Resources replica) {
        return groups.values().stream().filter(g -> g.arch() == Arch.AMD64).map(GroupPrice::of)
                .filter(p -> p != null).min(Comparator.comparingDouble((GroupPrice p) -> p.hourly(replica))
                        .thenComparing(GroupPrice::name));
    }

    /** The arm64 group the planner would pick for one replica: weight, then price (unpriced last), then name. */
    Optional<NodeGroup> arm64Target(Resources replica) {
        List<NodeGroup> fitting = new ArrayList<>();
        for (NodeGroup g : groups.values()) {
            Resources cap = g.template().allocatable();
            if (g.arch() == Arch.ARM64 && replica.cpuMillis() <= cap.cpuMillis() && replica.memoryBytes() <= cap.memoryBytes()) {
                fitting.add(g);
            }
        }
        return fitting.stream().min(Comparator.comparingInt((NodeGroup g) -> -g.weight())
                .thenComparingDouble(g -> {
                    GroupPrice p = GroupPrice.of(g);
                    return p == null ? Double.POSITIVE_INFINITY : p.hourly(replica);
                })
                .thenComparing(NodeGroup::name));
    }
}
