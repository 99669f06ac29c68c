package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.Resources;

/** How many more nodes the cluster limits (nodes, cores, memory) allow, as nodes are planned. */
final class ClusterBudget {
    private final ClusterLimits limits;
    private long nodes;
    private long cpuMillis;
    private long memoryBytes;

    ClusterBudget(ClusterLimits limits) {
        this.limits = limits;
    }

    /** Counts {@code n} nodes of this allocatable (registered, in flight, or planned). */
    void add(Resources allocatable, long n) {
        nodes += n;
        cpuMillis = saturatedAdd(cpuMillis, saturatedMultiply(n, Math.max(0, allocatable.cpuMillis())));
        memoryBytes = saturatedAdd(memoryBytes, saturatedMultiply(n, Math.max(0, allocatable.memoryBytes())));
    }

    /** The most nodes of this allocatable that still fit under every limit. */
    long room(Resources allocatable) {
        long room = Math.max(0, limits.maxNodesTotal() - nodes);
        room = Math.min(room, by(coreMillisLimit(), cpuMillis, allocatable.cpuMillis()));
        room = Math.min(room, by(limits.maxMemoryBytesTotal(), memoryBytes, allocatable.memoryBytes()));
        return room;
    }

    /** Which limit stops one more node of this allocatable, or null. */
    String whyNoRoom(Resources allocatable) {
        if (nodes >= limits.maxNodesTotal()) {
            return "maxNodesTotal " + limits.maxNodesTotal() + " reached";
        }
        if (by(coreMillisLimit(), cpuMillis, allocatable.cpuMillis()) == 0) {
            return "maxCoresTotal " + limits.maxCoresTotal() + " reached";
        }
        if (by(limits.maxMemoryBytesTotal(), memoryBytes, allocatable.memoryBytes()) == 0) {
            return "maxMemoryBytesTotal " + Amounts.bytes(limits.maxMemoryBytesTotal()) + " reached";
        }
        return null;
    }

    private long coreMillisLimit() {
        return limits.maxCoresTotal() <= 0 ? 0 : saturatedMultiply(limits.maxCoresTotal(), 1000);
    }

    private static long by(long limit, long used, long perNode) {
        if (limit == Long.MAX_VALUE || perNode <= 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (limit - used) / perNode);
    }

    /** For non-negative factors. */
    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
