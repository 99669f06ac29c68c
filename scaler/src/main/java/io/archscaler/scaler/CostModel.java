package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the registered nodes cost per hour, by architecture, and what the same capacity would
 * cost on amd64 only: each arm64 node is priced as the amd64 group closest to it in cpu and
 * memory, scaled by their cpu ratio.
 */
public final class CostModel {
    /** Hourly cost by arch, and the all-amd64 cost of the same capacity. */
    public record Cost(Map<Arch, Double> perHourByArch, double allAmd64PerHour) {
        public double perHour() {
            return perHourByArch.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Fraction saved against all-amd64, 0 when nothing runs. */
        public double savingsRatio() {
            return allAmd64PerHour <= 0 ? 0 : Math.max(0, 1 - perHour() / allAmd64PerHour);
        }
    }

    private CostModel() {
    }

    public static Cost of(List<NodeGroup> groups, Map<String, Integer> nodesByGroup) {
        Map<Arch, Double> byArch = new EnumMap<>(Arch.class);
        for (Arch a : Arch.values()) {
            byArch.put(a, 0.0);
        }
        double allAmd64 = 0;
        for (NodeGroup g : groups) {
            int n = nodesByGroup.getOrDefault(g.name(), 0);
            if (n == 0) {
                continue;
            }
            byArch.merge(g.arch(), n * g.pricePerHour(), Double::sum);
            allAmd64 += n * amd64Equivalent(g, groups);
        }
        return new Cost(byArch, allAmd64);
    }

    /** Hourly cost of the nodes by capacity type, every type listed (0 when none run). */
    public static Map<CapacityType, Double> perHourByCapacityType(List<NodeGroup> groups,
                                                                  Map<String, Integer> nodesByGroup) {
        Map<CapacityType, Double> out = new EnumMap<>(CapacityType.class);
        perHourByCapacityTypeAndArch(groups, nodesByGroup).forEach((type, byArch) ->
                out.put(type, byArch.values().stream().mapToDouble(Double::doubleValue).sum()));
        return out;
    }

    /** Hourly cost of the nodes by capacity type and, within each, by arch; every pair listed (0 when none run). */
    public static Map<CapacityType, Map<Arch, Double>> perHourByCapacityTypeAndArch(List<NodeGroup> groups,
                                                                                    Map<String, Integer> nodesByGroup) {
        Map<CapacityType, Map<Arch, Double>> out = new EnumMap<>(CapacityType.class);
        for (CapacityType c : CapacityType.values()) {
            Map<Arch, Double> byArch = new EnumMap<>(Arch.class);
            for (Arch a : Arch.values()) {
                byArch.put(a, 0.0);
            }
            out.put(c, byArch);
        }
        for (NodeGroup g : groups) {
            out.get(g.capacityType()).merge(g.arch(), nodesByGroup.getOrDefault(g.name(), 0) * g.pricePerHour(),
                    Double::sum);
        }
        return out;
    }

    /** Per arch, the share (0..1) of the groups' nodes that are spot; 0 for an arch with no nodes. */
    public static Map<Arch, Double> spotShareByArch(List<NodeGroup> groups, Map<String, Integer> nodesByGroup) {
        Map<Arch, int[]> counts = new EnumMap<>(Arch.class);
        for (Arch a : Arch.values()) {
            counts.put(a, new int[2]);
        }
        for (NodeGroup g : groups) {
            int n = nodesByGroup.getOrDefault(g.name(), 0);
            int[] c = counts.get(g.arch());
            c[0] += n;
            c[1] += g.isSpot() ? n : 0;
        }
        Map<Arch, Double> out = new EnumMap<>(Arch.class);
        counts.forEach((a, c) -> out.put(a, c[0] == 0 ? 0.0 : c[1] / (double) c[0]));
        return out;
    }

    /** The hourly price of the amd64 capacity that would replace one node of the group. */
    static double amd64Equivalent(NodeGroup group, List<NodeGroup> groups) {
        if (group.arch() == Arch.AMD64) {
            return group.pricePerHour();
        }
        long cpu = group.template().allocatable().cpuMillis();
        long mem = group.template().allocatable().memoryBytes();
        NodeGroup best = null;
        for (NodeGroup g : groups) {
            if (g.arch() != Arch.AMD64 || g.pricePerHour() <= 0 || g.template().allocatable().cpuMillis() <= 0) {
                continue;
            }
            if (best == null || distance(g, cpu, mem) < distance(best, cpu, mem)) {
                best = g;
            }
        }
        if (best == null) {
            return group.pricePerHour();
        }
        return best.pricePerHour() * cpu / (double) best.template().allocatable().cpuMillis();
    }

    private static double distance(NodeGroup g, long cpu, long mem) {
        double dc = Math.abs(g.template().allocatable().cpuMillis() - cpu) / 1000.0;
        double dm = Math.abs(g.template().allocatable().memoryBytes() - mem) / (4.0 * (1L << 30));
        return dc + dm;
    }
}
