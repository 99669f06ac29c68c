package io.archscaler.scaler;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

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

    @Test
    void firstAgreesWithALinearScanFromEveryStart() {
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            int leaves = 1 + random.nextInt(40);
            long[][] vectors = new long[leaves][3];
            for (long[] v : vectors) {
                for (int k = 0; k < v.length; k++) {
                    v[k] = random.nextInt(10);
                }
            }
            VectorTree tree = treeOf(vectors);
            long[] q = {random.nextInt(10), random.nextInt(10), random.nextInt(10)};
            for (int from = 0; from <= leaves; from++) {
                assertThat(tree.first(q, from)).as("round %d from %d", round, from).isEqualTo(linearFirst(vectors, q, from));
            }
        }
    }

    @Test
    void loadingLeavesThenRebuildingAnswersLikeSettingThemOneByOne() {
        long[][] vectors = {{4, 1}, {2, 7}, {3, 3}, {1, 9}, {6, 2}};
        VectorTree loaded = new VectorTree(vectors.length, 2);
        for (int i = 0; i < vectors.length; i++) {
            loaded.load(i, vectors[i]);
        }
        loaded.rebuild();
        VectorTree set = treeOf(vectors);

        for (long[] q : new long[][]{{3, 3}, {1, 9}, {6, 9}, {0, 0}, {2, 2}}) {
            for (int from = 0; from < vectors.length; from++) {
                assertThat(loaded.first(q, from)).isEqualTo(set.first(q, from));
            }
        }
    }

    private static int linearFirst(long[][] vectors, long[] q, int from) {
        for (int i = from; i < vectors.length; i++) {
            boolean fits = true;
            for (int k = 0; k < q.length; k++) {
                fits &= vectors[i][k] <= q[k];
            }
            if (fits) {
                return i;
            }
        }
        return -1;
    }
}
