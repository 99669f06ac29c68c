package io.archscaler.scaler.cost;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * A cheapest-placement problem as numbers: resource vectors (cpu, memory, ephemeral storage, pods,
 * then extended resources by name), the groups cheapest first, and per pod the groups that fit it
 * as a bit set. Pods are ordered largest first, identical pods next to each other.
 */
record Problem(List<Group> groups, List<Pod> pods, List<String> unplaceable, List<String> extended) {
    /** A group with what one new node of it leaves for pods, also as a vector. */
    record Group(NodeGroup group, Resources usable, long[] vector) {
        double price() {
            return Math.max(0, group.pricePerHour());
        }
    }

    /** A pod: its requests as a vector and the groups (bits, in {@link #groups} order) that fit it. */
    record Pod(String key, long[] requests, BitSet fits) {
        boolean sameAs(Pod o) {
            return fits.equals(o.fits) && Arrays.equals(requests, o.requests);
        }

        boolean fits(int group) {
            return fits.get(group);
        }
    }

    Problem {
        List<Pod> sorted = new ArrayList<>(pods);
        long[] scale = new long[4 + extended.size()];
        for (Group g : groups) {
            for (int r = 0; r < scale.length; r++) {
                scale[r] = Math.max(scale[r], g.vector()[r]);
            }
        }
        sorted.sort(Comparator.comparingDouble((Pod p) -> -size(p, scale))
                .thenComparing(Pod::requests, Arrays::compare)
                .thenComparing(p -> p.fits().toLongArray(), Arrays::compare).thenComparing(Pod::key));
        pods = List.copyOf(sorted);
    }

    static long[] vector(Resources r, List<String> extended) {
        long[] v = new long[4 + extended.size()];
        v[0] = r.cpuMillis();
        v[1] = r.memoryBytes();
        v[2] = r.ephemeralStorageBytes();
        v[3] = r.pods();
        for (int i = 0; i < extended.size(); i++) {
            v[4 + i] = r.extended(extended.get(i));
        }
        return v;
    }

    private static double size(Pod p, long[] scale) {
        double s = 0;
        for (int r = 0; r < scale.length; r++) {
            if (scale[r] > 0) {
                s = Math.max(s, (double) p.requests()[r] / scale[r]);
            }
        }
        return s;
    }

    int dimensions() {
        return 4 + extended.size();
    }

    /** What the groups' minSize nodes cost, whether or not pods use them. */
    double minSizeCost() {
        double cost = 0;
        for (Group g : groups) {
            cost += Math.max(0, g.group().minSize()) * g.price();
        }
        return cost;
    }

    /** The least price per unit of resource {@code r} among the groups that fit the pod (0 when free). */
    double cheapestUnit(Pod pod, int r) {
        double best = Double.POSITIVE_INFINITY;
        for (int g = 0; g < groups.size(); g++) {
            long usable = groups.get(g).vector()[r];
            if (pod.fits(g) && usable > 0) {
                best = Math.min(best, groups.get(g).price() / usable);
            }
        }
        return Double.isInfinite(best) ? 0 : best;
    }
}
