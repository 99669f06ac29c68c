package io.archscaler.scaler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BinListTest {
    private static final Demand NOTHING = new Demand(0, 0, 0, new long[0]);

    private static Demand cpu(long millis) {
        return new Demand(millis, 0, 0, new long[0]);
    }

    private static Bin nodes(long cpuMillis, long count) {
        return new Bin(cpuMillis, 1 << 30, 0, 110, new long[0], count);
    }

    @Test
    void fillingARunSplitsItFirstFit() {
        BinList list = BinList.of(nodes(1000, 5));

        // 7 pods of 400m: two per node, so nodes 1-3 take 2, 2, 2 and node 4 takes 1; node 5 stays empty
        assertThat(list.fill(cpu(400), 7, NOTHING)).isEqualTo(7);
        // what is left: 200m on nodes 1-3, 600m on node 4, 1000m on node 5
        assertThat(list.fill(cpu(600), 10, NOTHING)).isEqualTo(2);
        assertThat(list.fill(cpu(200), 10, NOTHING)).isEqualTo(3 + 2);
    }

    @Test
    void aWholeRunIsFilledInOneStep() {
        BinList list = BinList.of(nodes(1000, 1000));

        assertThat(list.fill(cpu(300), 1_000_000, NOTHING)).isEqualTo(3000);
        assertThat(list.fill(cpu(100), 1_000_000, NOTHING)).isEqualTo(1000);
    }

    @Test
    void appendedRunsComeAfterEarlierOnes() {
        BinList list = BinList.of(nodes(500, 1));
        list.append(nodes(1000, 1), NOTHING);

        assertThat(list.fill(cpu(500), 1, NOTHING)).isEqualTo(1);
        // the first node is now full, the second still has 1000m
        assertThat(list.fill(cpu(1000), 5, NOTHING)).isEqualTo(1);
    }

    @Test
    void nodesTooFullForAnyLaterPodAreDropped() {
        BinList list = BinList.of(nodes(1000, 3));

        assertThat(list.fill(cpu(900), 3, cpu(200))).isEqualTo(3);
        assertThat(list.fill(cpu(100), 3, cpu(100))).isZero();
    }

    @Test
    void aRunTooFullForAnyPodIsNotEvenAppended() {
        BinList list = new BinList();
        list.append(nodes(50, 4), cpu(100));

        assertThat(list.fill(cpu(10), 10, NOTHING)).isZero();
    }

    @Test
    void podSlotsLimitAsMuchAsResources() {
        BinList list = BinList.of(new Bin(100_000, 1 << 30, 0, 3, new long[0], 2));

        assertThat(list.fill(cpu(1), 10, NOTHING)).isEqualTo(6);
    }
}
