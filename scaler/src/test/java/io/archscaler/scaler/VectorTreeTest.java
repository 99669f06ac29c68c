package io.archscaler.scaler;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class VectorTreeTest {

    private static VectorTree treeOf(long[]... vectors) {
        VectorTree tree = new VectorTree(vectors.length, vectors[0].length);
        for (int i = 0; i < vectors.length; i++) {
            tree.set(i, vectors[i]);
        }
        return tree;
    }

    @Test
    void findsTheLeftmostLeafAtMostTheQueryInEveryDimension() {
        VectorTree tree = treeOf(new long[]{5, 1}, new long[]{1, 5}, new long[]{2, 2}, new long[]{1, 1});

        assertThat(tree.first(new long[]{2, 2}, 0)).isEqualTo(2);
        assertThat(tree.first(new long[]{2, 2}, 3)).isEqualTo(3);
        assertThat(tree.first(new long[]{1, 5}, 0)).isEqualTo(1);
        assertThat(tree.first(new long[]{0, 9}, 0)).isEqualTo(-1);
    }

    @Test
    void perDimensionMinimaFromDifferentLeavesDoNotMakeAFalseMatch() {
        // the subtree minimum is (1, 1) but no single leaf is within (1, 1)
        VectorTree tree = treeOf(new long[]{1, 9}, new long[]{9, 1});

        assertThat(tree.first(new long[]{1, 1}, 0)).isEqualTo(-1);
    }

    @Test
    void updatesAndDisabledLeavesAreSeen() {
        VectorTree tree = treeOf(new long[]{1}, new long[]{1}, new long[]{1});
        tree.set(0, new long[]{10});
        tree.disable(1);

        assertThat(tree.first(new long[]{1}, 0)).isEqualTo(2);
    }

    @Test
    void collectsMatchesInOrderUpToTheLimit() {
        VectorTree tree = treeOf(new long[]{1}, new long[]{9}, new long[]{2}, new long[]{3}, new long[]{0});
        int[] out = new int[3];

        int n = tree.collect(new long[]{3}, out);

        assertThat(Arrays.copyOf(out, n)).containsExactly(0, 2, 3);
    }
}
