package io.archscaler.scaler;

import java.util.Arrays;

/**
 * A segment tree over vectors of longs that finds, left to right, the leaves whose vector is at
 * most a query in every dimension. Subtrees whose per-dimension minimum already exceeds the query
 * are skipped whole, so a first-fit search over thousands of nodes or classes looks at a few.
 */
final class VectorTree {
    /** A leaf holding this in every dimension never matches. */
    static final long NEVER = Long.MAX_VALUE;

    private final int dims;
    private final int leaves;
    private final int size;
    private final long[] min;
    private final long[] never;

    VectorTree(int leaves, int dims) {
        this.dims = dims;
        this.leaves = leaves;
        int s = 1;
        while (s < Math.max(1, leaves)) {
            s <<= 1;
        }
        this.size = s;
        this.min = new long[2 * s * dims];
        Arrays.fill(min, NEVER);
        this.never = new long[dims];
        Arrays.fill(never, NEVER);
    }

    /** Sets a leaf's vector ({@code v.length == dims}) and updates its ancestors. */
    void set(int leaf, long[] v) {
        int node = size + leaf;
        System.arraycopy(v, 0, min, node * dims, dims);
        for (node >>= 1; node >= 1; node >>= 1) {
            int at = node * dims;
            int left = 2 * node * dims;
            int right = left + dims;
            for (int k = 0; k < dims; k++) {
                min[at + k] = Math.min(min[left + k], min[right + k]);
            }
        }
    }

    /** Makes a leaf never match again. */
    void disable(int leaf) {
        set(leaf, never);
    }

    /** The leftmost leaf at or after {@code from} whose vector is at most {@code q} everywhere, or -1. */
    int first(long[] q, int from) {
        return from >= leaves ? -1 : find(1, 0, size - 1, q, from);
    }

    /**
     * Writes into {@code out}, left to right, up to {@code out.length} leaves whose vector is at
     * most {@code q} everywhere, in one walk; returns how many it wrote.
     */
    int collect(long[] q, int[] out) {
        return collect(1, 0, size - 1, q, out, 0);
    }

    private int collect(int node, int lo, int hi, long[] q, int[] out, int found) {
        if (found == out.length || !within(node, q)) {
            return found;
        }
        if (lo == hi) {
            if (lo < leaves) {
                out[found++] = lo;
            }
            return found;
        }
        int mid = (lo + hi) >>> 1;
        found = collect(2 * node, lo, mid, q, out, found);
        return collect(2 * node + 1, mid + 1, hi, q, out, found);
    }

    private int find(int node, int lo, int hi, long[] q, int from) {
        if (hi < from || !within(node, q)) {
            return -1;
        }
        if (lo == hi) {
            return lo < leaves ? lo : -1;
        }
        int mid = (lo + hi) >>> 1;
        int r = find(2 * node, lo, mid, q, from);
        return r >= 0 ? r : find(2 * node + 1, mid + 1, hi, q, from);
    }

    private boolean within(int node, long[] q) {
        int at = node * dims;
        for (int k = 0; k < dims; k++) {
            if (min[at + k] > q[k]) {
                return false;
            }
        }
        return true;
    }
}
