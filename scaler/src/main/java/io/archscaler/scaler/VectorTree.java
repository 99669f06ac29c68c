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

    /**
     * Sets a leaf's vector without touching its ancestors, which stay stale until
     * {@link #rebuild()}: loading n leaves this way and rebuilding once is linear in n, where
     * {@link #set} pays a path to the root for each.
     */
    void load(int leaf, long[] v) {
        System.arraycopy(v, 0, min, (size + leaf) * dims, dims);
    }

    /** Recomputes every inner node from the leaves. */
    void rebuild() {
        for (int node = size - 1; node >= 1; node--) {
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

    /**
     * The leftmost leaf at or after {@code from} whose vector is at most {@code q} everywhere, or -1.
     * The walk starts at leaf {@code from} and climbs only as far as it must, so scanning left
     * to right with each answer as the next {@code from} costs the distance between answers, not a
     * walk from the root each time.
     */
    int first(long[] q, int from) {
        if (from < 0 || from >= leaves) {
            return -1;
        }
        int node = size + from;
        while (true) {
            if (within(node, q)) {
                if (node >= size) {
                    return node - size < leaves ? node - size : -1;
                }
                // a subtree's minimum can pass where no single leaf does: look left, then right
                node = 2 * node;
                continue;
            }
            // no match below this node: move to the next subtree to its right
            while ((node & 1) == 1) {
                if (node == 1) {
                    return -1;
                }
                node >>= 1;
            }
            node++;
        }
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
