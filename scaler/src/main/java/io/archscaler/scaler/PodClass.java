package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Resources;

import java.util.List;
import java.util.Set;

/**
 * An equivalence class of pending pods: the same requests and the same constraints, so the
 * planner places them together. Pods are taken in key order as they are placed.
 */
final class PodClass {
    final Constraints constraints;
    /** Position of {@link #constraints} among the distinct constraints of the snapshot. */
    final int constraintsId;
    final Resources requests;
    final Demand demand;
    final Set<Arch> allowed;
    /** The first-fit-decreasing size: cores plus memory in 4 GiB units plus extended units. */
    final double weight;
    private final List<String> keys;
    private int taken;

    PodClass(Constraints constraints, int constraintsId, Resources requests, Demand demand, Set<Arch> allowed,
             List<String> keys) {
        this.constraints = constraints;
        this.constraintsId = constraintsId;
        this.requests = requests;
        this.demand = demand;
        this.allowed = allowed;
        this.keys = keys;
        this.weight = weightOf(requests);
    }

    int size() {
        return keys.size();
    }

    long remaining() {
        return keys.size() - taken;
    }

    String firstKey() {
        return keys.get(0);
    }

    /** The next {@code n} pods, in key order. */
    List<String> take(long n) {
        int from = taken;
        taken += (int) n;
        return keys.subList(from, taken);
    }

    private static double weightOf(Resources requests) {
        double w = requests.cpuMillis() / 1000.0 + requests.memoryBytes() / (double) (4L << 30);
        for (long v : requests.extended().values()) {
            w += v;
        }
        return w;
    }
}
