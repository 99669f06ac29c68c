package io.archscaler.scaler;

import java.util.Arrays;
import java.util.List;

/**
 * Lays out new nodes for the classes that chose one group: pod by pod, the class whose requests
 * best match the room still free (the dot-product heuristic for vector bin packing), so
 * cpu-heavy and memory-heavy pods share nodes instead of stranding memory or cpu. The caller
 * replicates each layout over as many nodes as it can at once.
 *
 * <p>{@link Mode#BALANCED} first puts on the node each class's share of what is left: with E the
 * fewest nodes the pods left could fill (the largest of their total requests over the node's
 * capacity, resource by resource), floor(left / E) pods of each class, then fills the rest as
 * above. Greedy alone can fill a node with one memory-heavy class and strand its cpu, node
 * after node; the shares spread such a class over all the nodes instead.
 */
final class NodePattern {
    /** How a layout starts: from an empty node, or from each class's share of what is left. */
    enum Mode { GREEDY, BALANCED }

    /** How many fitting classes are scored per pick; bounds the cost when there are thousands of classes. */
    static final int WINDOW = 32;

    private final Bin empty;
    private final Mode mode;
    private final List<Demand> demands;
    private final long[] left;
    /** The classes with pods left, by their demand vectors, to find those that fit the room fast. */
    private final VectorTree fitting;
    private final long[] query;
    private final int[] candidates = new int[WINDOW];
    /** Pods per class in the layout being built; only the entries listed in {@link #used} are non-zero. */
    private final long[] count;
    private int[] used = new int[16];
    private int usedSize;

    /** {@code left} (pods still to place per class, largest class first) is shared with the caller. */
    NodePattern(Bin empty, List<Demand> demands, long[] left, Mode mode) {
        this.empty = empty;
        this.mode = mode;
        this.demands = demands;
        this.left = left;
        int dims = demands.isEmpty() ? 4 : demands.get(0).dims();
        this.fitting = new VectorTree(demands.size(), dims);
        this.query = new long[dims];
        this.count = new long[demands.size()];
        long[] vector = new long[dims];
        for (int i = 0; i < demands.size(); i++) {
            if (left[i] > 0) {
                demands.get(i).vector(vector);
                fitting.set(i, vector);
            }
        }
    }

    /**
     * Lays out one new node; then {@link #size()}, {@link #classAt} and {@link #podsAt} describe
     * it. Size 0 means no class with pods left fits an empty node.
     */
    void next() {
        for (int k = 0; k < usedSize; k++) {
            count[used[k]] = 0;
        }
        usedSize = 0;
        Bin room = empty.copy(1);
        if (mode == Mode.BALANCED) {
            addShares(room);
        }
        while (true) {
            room.roomQuery(query);
            int found = fitting.collect(query, candidates);
            int best = -1;
            double bestScore = -1;
            for (int k = 0; k < found; k++) {
                int i = candidates[k];
                double score = alignment(demands.get(i), room, empty);
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            Demand d = demands.get(best);
            // when a single class fits, fill the rest of the node with it in one step
            long n = found == 1 ? Math.min(room.fits(d), left[best] - count[best]) : 1;
            add(room, best, n);
        }
    }

    private void add(Bin room, int i, long n) {
        room.take(demands.get(i), n);
        if (count[i] == 0) {
            if (usedSize == used.length) {
                used = Arrays.copyOf(used, usedSize * 2);
            }
            used[usedSize++] = i;
        }
        count[i] += n;
        if (count[i] == left[i]) {
            fitting.disable(i);
        }
    }

    /**
     * Puts floor(left / E) pods of each class on the node. Their requests add up to at most the
     * node's capacity in every resource, by the choice of E, so they always fit together.
     */
    private void addShares(Bin room) {
        int dims = 4 + empty.extended.length;
        double[] total = new double[dims];
        long[] v = new long[dims];
        for (int i = 0; i < demands.size(); i++) {
            if (left[i] > 0) {
                demands.get(i).vector(v);
                for (int r = 0; r < dims; r++) {
                    total[r] += (double) left[i] * v[r];
                }
            }
        }
        long[] capacity = new long[dims];
        empty.roomQuery(capacity);
        double nodes = 1;
        for (int r = 0; r < dims; r++) {
            if (capacity[r] > 0) {
                nodes = Math.max(nodes, total[r] / capacity[r]);
            }
        }
        for (int i = 0; i < demands.size(); i++) {
            if (left[i] > 0) {
                long share = Math.min((long) Math.floor(left[i] / nodes), room.fits(demands.get(i)));
                if (share > 0) {
                    add(room, i, share);
                }
            }
        }
    }

    int size() {
        return usedSize;
    }

    int classAt(int k) {
        return used[k];
    }

    long podsAt(int k) {
        return count[used[k]];
    }

    /** Call after {@code left} went down, for the classes that ran out. */
    void exhausted(int i) {
        fitting.disable(i);
    }

    /** The dot product of the demand and the free room, each relative to the node's capacity. */
    static double alignment(Demand d, Bin room, Bin capacity) {
        double score = term(d.cpu, room.cpu, capacity.cpu) + term(d.memory, room.memory, capacity.memory)
                + term(d.ephemeral, room.ephemeral, capacity.ephemeral) + term(1, room.pods, capacity.pods);
        for (int i = 0; i < d.extended.length; i++) {
            score += term(d.extended[i], room.extended[i], capacity.extended[i]);
        }
        return score;
    }

    private static double term(long demand, long room, long capacity) {
        if (capacity <= 0 || demand <= 0) {
            return 0;
        }
        return ((double) demand / capacity) * ((double) room / capacity);
    }
}
