package io.archscaler.scaler;

import java.util.List;

/**
 * Registered nodes of one profile in first-fit order, indexed by free room so that a class of
 * pods finds the nodes it fits without looking at the ones it does not.
 */
final class IndexedNodes {
    private final Bin[] nodes;
    private final VectorTree tree;
    private final long[] vector;
    private final long[] query;

    IndexedNodes(List<Bin> nodes, int dims) {
        this.nodes = nodes.toArray(new Bin[0]);
        this.tree = new VectorTree(this.nodes.length, dims);
        this.vector = new long[dims];
        this.query = new long[dims];
        for (int i = 0; i < this.nodes.length; i++) {
            this.nodes[i].negatedFree(vector);
            tree.load(i, vector);
        }
        tree.rebuild();
    }

    /** Places up to {@code wanted} pods of the demand, first-fit; returns how many it placed. */
    long fill(Demand d, long wanted) {
        d.binQuery(query);
        long placed = 0;
        int from = 0;
        while (placed < wanted) {
            int i = tree.first(query, from);
            if (i < 0) {
                break;
            }
            Bin node = nodes[i];
            long n = Math.min(node.fits(d), wanted - placed);
            node.take(d, n);
            placed += n;
            node.negatedFree(vector);
            tree.set(i, vector);
            from = i;
        }
        return placed;
    }
}
