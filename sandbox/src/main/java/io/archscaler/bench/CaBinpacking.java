package io.archscaler.bench;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Cluster Autoscaler's {@code BenchmarkBinpackingEstimate} (cluster-autoscaler/estimator/
 * binpacking_estimator_test.go), rebuilt for Archscaler's planner: 50,000 pods of 50m cpu and
 * 100 bytes of memory plus 1,000 of 95m and 190 bytes, one node group whose template has 1000m,
 * 5000Mi and 100 pods, one small existing node (100m, 100Mi, 10 pods) in another zone, at most
 * 3,000 nodes. Perfect packing is cpu-bound: 2,595,000m / 1000m = 2,595 new nodes.
 */
public final class CaBinpacking {
    public static final String NAME = "ca-binpacking";
    public static final int EXPECTED_NODES = 2595;
    public static final int SMALL_PODS = 50_000;
    public static final int LARGE_PODS = 1_000;
    private static final long MI = 1L << 20;

    private CaBinpacking() {
    }

    /** The snapshot, built from nothing each time, as the Go benchmark builds its own on every iteration. */
    public static ClusterSnapshot snapshot() {
        List<PendingPod> pods = new ArrayList<>(SMALL_PODS + LARGE_PODS);
        addPods(pods, SMALL_PODS, 50, 100);
        addPods(pods, LARGE_PODS, 95, 190);
        NodeTemplate template = new NodeTemplate(new Resources(1000, 5000 * MI, 0, 100, Map.of()),
                Map.of("kubernetes.io/hostname", "template", "topology.kubernetes.io/zone", "zone-mars"), List.of());
        NodeGroup group = new NodeGroup("estimatee", "simulated", Arch.AMD64, 0, 3000, 0,
                NodeGroup.defaultWeight(Arch.AMD64), "template", 0, template);
        Node oldNode = new Node("oldnode", null, Arch.AMD64, new Resources(100, 100 * MI, 0, 10, Map.of()), Resources.ZERO,
                Map.of("kubernetes.io/hostname", "oldnode", "topology.kubernetes.io/zone", "zone-jupiter"), List.of(),
                false, true, null);
        return new ClusterSnapshot(List.of(group), List.of(oldNode), pods, List.of(), Map.of(), Set.of(), Set.of(),
                ClusterLimits.ofNodes(3000));
    }

    private static void addPods(List<PendingPod> pods, int count, long cpuMillis, long memoryBytes) {
        Map<String, String> labels = Map.of();
        for (int i = 0; i < count; i++) {
            pods.add(new PendingPod("universe", "estimatee-" + cpuMillis + "m-" + i,
                    new Resources(cpuMillis, memoryBytes, 0, 1, Map.of()), labels, List.of(), List.of(), null,
                    "ReplicaSet/estimatee"));
        }
    }
}
