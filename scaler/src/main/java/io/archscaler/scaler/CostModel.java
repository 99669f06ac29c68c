package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
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
