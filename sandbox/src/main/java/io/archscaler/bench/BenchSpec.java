package io.archscaler.bench;

/**
 * The size of a synthetic cluster: pending pods, node groups, registered nodes, equivalence
 * classes of the pending pods, and the seed that makes it the same cluster every time.
 */
public record BenchSpec(int pods, int nodeGroups, int nodes, int classes, long seed) {
    /** Two general groups, two GPU groups and two tainted groups, half of them arm64. */
    public static final int MIN_NODE_GROUPS = 6;

    public BenchSpec {
        if (pods < 1) {
            throw new IllegalArgumentException("--pods must be at least 1 (got " + pods + ")");
        }
        if (nodeGroups < MIN_NODE_GROUPS || nodeGroups % 2 != 0) {
            throw new IllegalArgumentException("--node-groups must be even and at least " + MIN_NODE_GROUPS
                    + " (half arm64, half amd64, two of them GPU and two tainted; got " + nodeGroups + ")");
        }
        if (nodes < 0) {
            throw new IllegalArgumentException("--nodes must not be negative (got " + nodes + ")");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("--classes must be at least 1 (got " + classes + ")");
        }
    }

    public BenchSpec withPods(int n) {
        return new BenchSpec(n, nodeGroups, nodes, classes, seed);
    }
}
