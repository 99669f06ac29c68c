package io.archscaler.scaler.cost;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * On random groups and pods, the cheapest cost (exact or bound) is never above what a placement
 * the scale-up planner finds costs, and an exact answer is never below the bound.
 */
class OptimalCostPropertiesTest {
    private static final double EPSILON = 1e-9;
    /** Fewer steps than the default keep the run short; both kinds of answer still come up. */
    private static final OptimalCost.Limits LIMITS = new OptimalCost.Limits(48, 8, 200_000);

    /** Groups, pods and DaemonSets drawn from one seed; every pod fits some group. */
    private record Drawn(List<NodeGroup> groups, List<PendingPod> pods, List<PendingPod> daemonSets) {
    }

    @ParameterizedTest
    @Seeds(200)
    void neverAboveAPlacementThePlannerFinds(long seed) {
        Drawn d = draw(new Gen(seed));
        ScalePlan plan = new Planner().plan(new ClusterSnapshot(d.groups(), List.of(), d.pods(), d.daemonSets(),
                Map.of(), null, null, null));
        assertThat(plan.unschedulable()).as("seed %d: the drawn pods all fit", seed).isEmpty();
        double plannerCost = cost(plan, d.groups());

        OptimalCost.Result r = OptimalCost.of(d.groups(), d.pods(), d.daemonSets(), LIMITS);
        double bound = OptimalCost.lowerBound(d.groups(), d.pods(), d.daemonSets());

        assertThat(r.unplaceable()).as("seed %d", seed).isEmpty();
        assertThat(r.perHour()).as("seed %d: %s vs the planner's %s", seed, r, plannerCost)
                .isLessThanOrEqualTo(plannerCost + EPSILON);
        assertThat(bound).as("seed %d: the bound", seed).isLessThanOrEqualTo(plannerCost + EPSILON);
        if (r.kind() == OptimalCost.Kind.EXACT) {
            assertThat(r.perHour()).as("seed %d: exact is at least the bound", seed).isGreaterThanOrEqualTo(bound - EPSILON);
            assertThat(priced(r.nodesByGroup(), d.groups())).as("seed %d: its nodes cost what it says", seed)
                    .isCloseTo(r.perHour(), within(1e-6));
        } else {
            assertThat(r.perHour()).as("seed %d", seed).isEqualTo(bound);
        }
    }

    @ParameterizedTest
    @Seeds(200)
    void exactMatchesEveryPlacementTriedOnSmallCases(long seed) {
        Gen gen = new Gen(seed);
        Drawn d = draw(gen, 7);
        OptimalCost.Result r = OptimalCost.of(d.groups(), d.pods(), d.daemonSets());

        Problem p = OptimalCost.problem(d.groups(), d.pods(), d.daemonSets());
        double cheapest = everyPlacement(p, 0, new ArrayList<>(), new ArrayList<>(), new int[p.groups().size()]);
        if (Double.isInfinite(cheapest)) {
            // maxSize leaves no placement of every pod: only the bound can be said
            assertThat(r.kind()).as("seed %d", seed).isEqualTo(OptimalCost.Kind.LOWER_BOUND);
        } else {
            assertThat(r.kind()).as("seed %d", seed).isEqualTo(OptimalCost.Kind.EXACT);
            assertThat(r.perHour()).as("seed %d: %s", seed, r).isCloseTo(cheapest, within(1e-9));
        }
    }

    /** The cheapest of all placements, by trying them all (no bound, no symmetry left out). */
    private static double everyPlacement(Problem p, int i, List<long[]> used, List<Integer> groupOf, int[] opened) {
        if (i == p.pods().size()) {
            double cost = 0;
            for (int g = 0; g < opened.length; g++) {
                cost += Math.max(opened[g], p.groups().get(g).group().minSize()) * p.groups().get(g).price();
            }
            return cost;
        }
        Problem.Pod pod = p.pods().get(i);
        double best = Double.POSITIVE_INFINITY;
        for (int b = 0; b <= used.size(); b++) {
            boolean fresh = b == used.size();
            for (int g = 0; g < opened.length; g++) {
                if (!pod.fits(g) || (!fresh && groupOf.get(b) != g) || (fresh && opened[g] >= p.groups().get(g).group().maxSize())) {
                    continue;
                }
                long[] u = fresh ? new long[p.dimensions()] : used.get(b);
                if (!fitsIn(pod.requests(), u, p.groups().get(g).vector())) {
                    continue;
                }
                if (fresh) {
                    used.add(u);
                    groupOf.add(g);
                    opened[g]++;
                }
                add(u, pod.requests(), 1);
                best = Math.min(best, everyPlacement(p, i + 1, used, groupOf, opened));
                add(u, pod.requests(), -1);
                if (fresh) {
                    used.remove(used.size() - 1);
                    groupOf.remove(groupOf.size() - 1);
                    opened[g]--;
                }
            }
        }
        return best;
    }

    private static boolean fitsIn(long[] need, long[] used, long[] cap) {
        for (int r = 0; r < need.length; r++) {
            if (used[r] + need[r] > cap[r]) {
                return false;
            }
        }
        return true;
    }

    private static void add(long[] used, long[] need, int sign) {
        for (int r = 0; r < need.length; r++) {
            used[r] += sign * need[r];
        }
    }

    private static Drawn draw(Gen gen) {
        return draw(gen, 30);
    }

    private static Drawn draw(Gen gen, int maxPods) {
        List<NodeGroup> groups = new ArrayList<>();
        int count = gen.between(2, 4);
        long minCpu = Long.MAX_VALUE;
        long minMemGi = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            // one group of each arch at least, so arch-locked pods always have one
            Arch arch = i == 0 ? Arch.AMD64 : i == 1 ? Arch.ARM64 : gen.pick(Arch.values());
            int cpu = maxPods < 10 ? gen.pick(1, 2) : gen.pick(2, 4, 8);
            int memGi = cpu * gen.pick(2, 4, 8);
            minCpu = Math.min(minCpu, cpu);
            minMemGi = Math.min(minMemGi, memGi);
            int min = maxPods < 10 ? gen.between(0, 1) : 0;
            groups.add(Fixtures.group("g" + i, arch).capacity(Integer.toString(cpu), memGi + "Gi", gen.between(8, 58))
                    .size(min, maxPods < 10 ? gen.between(min, 4) : 60, min).weight(gen.between(0, 200)).price(gen.between(20, 500) / 1000.0).build());
        }
        List<PendingPod> daemonSets = new ArrayList<>();
        if (gen.between(0, 2) == 0) {
            daemonSets.add(Fixtures.pod("agent").cpu(gen.between(50, 300) + "m").memory("200Mi")
                    .owner("DaemonSet/agent").build());
        }
        long cpuRoom = minCpu * 1000 - 300;
        long memRoomMi = minMemGi * 1024 - 200;
        List<PendingPod> pods = new ArrayList<>();
        int n = gen.size(maxPods);
        for (int i = 0; i < n; i++) {
            Fixtures.PodBuilder b = Fixtures.pod("p-" + i)
                    .cpu(gen.between(50, (int) Math.min(cpuRoom, 3000)) + "m")
                    .memory(gen.between(64, (int) Math.min(memRoomMi, 6000)) + "Mi");
            if (gen.between(0, 4) == 0) {
                b.selector(NodeTemplate.ARCH_LABEL, "amd64");
            }
            pods.add(b.build());
        }
        return new Drawn(groups, pods, daemonSets);
    }

    private static double cost(ScalePlan plan, List<NodeGroup> groups) {
        Map<String, Integer> nodes = new HashMap<>();
        for (ScaleUp u : plan.scaleUps()) {
            nodes.merge(u.nodeGroup(), u.delta(), Integer::sum);
        }
        return priced(nodes, groups);
    }

    private static double priced(Map<String, Integer> nodes, List<NodeGroup> groups) {
        double cost = 0;
        for (NodeGroup g : groups) {
            cost += nodes.getOrDefault(g.name(), 0) * g.pricePerHour();
        }
        return cost;
    }
}
