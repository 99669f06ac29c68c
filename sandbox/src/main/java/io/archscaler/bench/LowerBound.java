package io.archscaler.bench;

import io.archscaler.scaler.DaemonSetReservation;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fewest new nodes that could carry the pods a plan put on new nodes, judged group by group,
 * so it measures how well pods were packed and not which groups they were given to.
 *
 * <p>For each group the plan grows, take the pods it put on that group's new nodes and what one
 * new node offers pods (the template's allocatable minus the DaemonSet reservation). For each
 * resource r (cpu, memory, ephemeral storage, pod slots, each extended resource) compute a bound
 * on the nodes those pods need in r alone, take the largest over the resources, and sum over the
 * groups:
 * <ul>
 * <li>the volume bound, {@code ceil(sum of requests / offered)} ({@link Bounds#volume});</li>
 * <li>the Martello-Toth L2 bound ({@link Bounds#nodes}), which also counts that pods asking for
 *     more than half a node in r can never share a node: for every threshold k up to half the
 *     node, pods above {@code C - k} each need a node of their own, pods in {@code (C/2, C - k]}
 *     too, and pods in {@code [k, C/2]} need whatever room those leave over. It is never below the
 *     volume bound.</li>
 * </ul>
 * {@code lowerBoundNodes} is the L2 version; the volume version is reported beside it.
 */
public final class LowerBound {
    /** Both bounds for one plan. */
    public record Bounds(long nodes, long volume) {
    }

    private LowerBound() {
    }

    public static Bounds of(ClusterSnapshot snapshot, ScalePlan plan) {
        Map<String, PendingPod> pods = new HashMap<>(snapshot.pendingPods().size() * 2);
        snapshot.pendingPods().forEach(p -> pods.put(p.key(), p));
        Map<String, NodeGroup> groups = new HashMap<>();
        snapshot.nodeGroups().forEach(g -> groups.put(g.name(), g));
        long l2 = 0;
        long volume = 0;
        for (ScaleUp up : plan.scaleUps()) {
            NodeGroup group = groups.get(up.nodeGroup());
            Resources offered = group.template().allocatable()
                    .minus(DaemonSetReservation.forGroup(snapshot.daemonSets(), group));
            List<Resources> requests = new ArrayList<>(up.pods().size());
            for (String key : up.pods()) {
                requests.add(pods.get(key).requests().withPods(1));
            }
            long groupL2 = 0;
            long groupVolume = 0;
            for (Map.Entry<String, long[]> dim : dimensions(requests, offered).entrySet()) {
                Map<Long, Long> sizes = new TreeMap<>();
                long[] amounts = dim.getValue();
                for (int i = 0; i < amounts.length - 1; i++) {
                    if (amounts[i] > 0) {
                        sizes.merge(amounts[i], 1L, Long::sum);
                    }
                }
                long capacity = amounts[amounts.length - 1];
                groupL2 = Math.max(groupL2, martelloToth(sizes, capacity));
                groupVolume = Math.max(groupVolume, volume(sizes, capacity));
            }
            l2 += groupL2;
            volume += groupVolume;
        }
        return new Bounds(l2, volume);
    }

    /** Per resource: each pod's amount, then (last) what a node offers. */
    private static Map<String, long[]> dimensions(List<Resources> requests, Resources offered) {
        Map<String, long[]> dims = new TreeMap<>();
        int n = requests.size();
        TreeSet<String> extended = new TreeSet<>();
        requests.forEach(r -> extended.addAll(r.extended().keySet()));
        long[] cpu = new long[n + 1];
        long[] memory = new long[n + 1];
        long[] ephemeral = new long[n + 1];
        long[] slots = new long[n + 1];
        for (int i = 0; i < n; i++) {
            Resources r = requests.get(i);
            cpu[i] = r.cpuMillis();
            memory[i] = r.memoryBytes();
            ephemeral[i] = r.ephemeralStorageBytes();
            slots[i] = r.pods();
        }
        cpu[n] = offered.cpuMillis();
        memory[n] = offered.memoryBytes();
        ephemeral[n] = offered.ephemeralStorageBytes();
        slots[n] = offered.pods();
        dims.put("cpu", cpu);
        dims.put("memory", memory);
        dims.put("ephemeral-storage", ephemeral);
        dims.put("pods", slots);
        for (String name : extended) {
            long[] amounts = new long[n + 1];
            for (int i = 0; i < n; i++) {
                amounts[i] = requests.get(i).extended(name);
            }
            amounts[n] = offered.extended(name);
            dims.put(name, amounts);
        }
        return dims;
    }

    /** {@code ceil(total / capacity)}, the pods given as size and how many have it. */
    static long volume(Map<Long, Long> sizes, long capacity) {
        long total = 0;
        for (Map.Entry<Long, Long> e : sizes.entrySet()) {
            total += e.getKey() * e.getValue();
        }
        return ceil(total, capacity);
    }

    /**
     * The Martello-Toth L2 bound for one resource: the most, over thresholds k in {0} and every
     * size up to C/2, of {@code n1 + n2 + max(0, ceil((s3 - (n2 C - s2)) / C))}, where n1 counts
     * the pods above C - k, n2 and s2 the count and total of those in (C/2, C - k], s3 the total
     * of those in [k, C/2].
     */
    static long martelloToth(Map<Long, Long> sizes, long capacity) {
        if (sizes.isEmpty()) {
            return 0;
        }
        if (capacity <= 0) {
            return Long.MAX_VALUE;
        }
        List<Long> thresholds = new ArrayList<>();
        thresholds.add(0L);
        for (long s : sizes.keySet()) {
            if (2 * s <= capacity) {
                thresholds.add(s);
            }
        }
        long best = 0;
        for (long k : thresholds) {
            long n1 = 0;
            long n2 = 0;
            long s2 = 0;
            long s3 = 0;
            for (Map.Entry<Long, Long> e : sizes.entrySet()) {
                long s = e.getKey();
                long count = e.getValue();
                if (s > capacity - k) {
                    n1 += count;
                } else if (2 * s > capacity) {
                    n2 += count;
                    s2 += s * count;
                } else if (s >= k) {
                    s3 += s * count;
                }
            }
            long leftOver = n2 * capacity - s2;
            best = Math.max(best, n1 + n2 + Math.max(0, ceil(s3 - leftOver, capacity)));
        }
        return best;
    }

    private static long ceil(long amount, long capacity) {
        if (amount <= 0) {
            return 0;
        }
        return capacity <= 0 ? Long.MAX_VALUE : (amount + capacity - 1) / capacity;
    }
}
