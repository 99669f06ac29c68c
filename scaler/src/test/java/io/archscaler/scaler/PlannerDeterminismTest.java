package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.ScalePlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.Fixtures.tolerateExists;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static io.archscaler.scaler.model.TaintEffect.NO_SCHEDULE;
import static org.assertj.core.api.Assertions.assertThat;

/** The same snapshot, in any order, gives an equal plan. */
class PlannerDeterminismTest {

    private static ClusterSnapshot busyCluster() {
        var s = snapshot()
                .groups(group("arm-general", ARM64).size(0, 6, 2), group("arm-large", ARM64).capacity("8", "32Gi", 110)
                                .price(0.308).max(3),
                        group("x86-general", AMD64).max(50), group("x86-spot", AMD64).price(0.04).weight(10),
                        group("gpu", AMD64).capacity("nvidia.com/gpu", "1").taint("gpu", "true", NO_SCHEDULE))
                .nodes(node("ip-3", AMD64).requested("1", "2Gi", 5), node("ip-1", ARM64).requested("1500m", "1Gi", 7),
                        node("ip-2", ARM64).cordoned(), node("ip-4", AMD64).requested("300m", "7Gi", 3))
                .daemonSets(pod("node-exporter").cpu("100m").memory("64Mi").tolerate(tolerateExists("", null)))
                .inFlight("arm-general", 1).backedOff("x86-spot")
                .limits(new ClusterLimits(40, 200, 1L << 40));
        Random random = new Random(42);
        String[] cpus = {"100m", "250m", "500m", "1", "1500m"};
        String[] mems = {"128Mi", "512Mi", "1Gi", "3Gi"};
        for (int i = 0; i < 300; i++) {
            var p = pod(String.format("p-%03d", i)).namespace(i % 3 == 0 ? "shop" : "default")
                    .cpu(cpus[random.nextInt(cpus.length)]).memory(mems[random.nextInt(mems.length)]);
            switch (random.nextInt(6)) {
                case 0 -> p.images(AMD64);
                case 1 -> p.selector("kubernetes.io/arch", "arm64");
                case 2 -> p.gpu(1).tolerate(tolerateExists("gpu", NO_SCHEDULE));
                default -> { }
            }
            s.pods(p);
        }
        return s.build();
    }

    private static ClusterSnapshot shuffled(ClusterSnapshot s, long seed) {
        Random random = new Random(seed);
        List<io.archscaler.scaler.model.NodeGroup> groups = new ArrayList<>(s.nodeGroups());
        List<io.archscaler.scaler.model.Node> nodes = new ArrayList<>(s.nodes());
        List<io.archscaler.scaler.model.PendingPod> pods = new ArrayList<>(s.pendingPods());
        Collections.shuffle(groups, random);
        Collections.shuffle(nodes, random);
        Collections.shuffle(pods, random);
        return new ClusterSnapshot(groups, nodes, pods, s.daemonSets(), s.inFlightNodes(), s.backedOff(),
                s.circuitOpen(), s.limits());
    }

    @Test
    void theSameSnapshotTwiceGivesAnEqualPlan() {
        ClusterSnapshot s = busyCluster();
        ScalePlan first = new Planner().plan(s);
        ScalePlan second = new Planner().plan(s);

        assertThat(second).isEqualTo(first);
        assertThat(first.scaleUps()).hasSizeGreaterThan(1);
        assertThat(first.unschedulable()).isNotEmpty();
        assertThat(first.onExistingCapacity()).isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shuffledInputGivesAnEqualPlan(long seed) {
        ClusterSnapshot s = busyCluster();

        assertThat(new Planner().plan(shuffled(s, seed))).isEqualTo(new Planner().plan(s));
    }

    @Test
    void outputListsAreSorted() {
        ScalePlan plan = new Planner().plan(busyCluster());

        assertThat(plan.scaleUps()).extracting(u -> u.nodeGroup()).isSorted();
        plan.scaleUps().forEach(u -> assertThat(u.pods()).isSorted());
        assertThat(plan.unschedulable()).extracting(u -> u.pod()).isSorted();
        assertThat(plan.onExistingCapacity()).isSorted();
    }
}
