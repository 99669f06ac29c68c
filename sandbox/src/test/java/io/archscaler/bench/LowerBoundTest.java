package io.archscaler.bench;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Toleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class LowerBoundTest {
    private static final long GI = 1L << 30;

    @ParameterizedTest(name = "{0} on {1}: L2 {2}, volume {3}")
    @CsvSource(delimiter = '|', value = {
            // sizes (size x count), capacity, L2, volume
            "6x3          | 10 | 3 | 2",
            "5x4          | 10 | 2 | 2",
            "6x2,4x2      | 10 | 2 | 2",
            "6x2,5x2      | 10 | 3 | 3",
            "7x3,4x3      | 10 | 5 | 4",
            "2x9          | 10 | 2 | 2",
            "''           | 10 | 0 | 0"})
    void martelloTothCountsPodsThatCannotShareANode(String items, long capacity, long l2, long volume) {
        Map<Long, Long> sizes = new TreeMap<>();
        for (String item : items.isEmpty() ? new String[0] : items.split(",")) {
            String[] p = item.split("x");
            sizes.merge(Long.parseLong(p[0]), Long.parseLong(p[1]), Long::sum);
        }

        assertThat(LowerBound.martelloToth(sizes, capacity)).isEqualTo(l2);
        assertThat(LowerBound.volume(sizes, capacity)).isEqualTo(volume);
    }

    @Test
    void eachGroupCountsThePodsItGotAgainstWhatANodeOffersAfterDaemonSets() {
        // 4000m nodes less a 500m DaemonSet offer 3500m: 7 pods of 1000m need 2 by volume;
        // 3 GPU pods on 1-GPU nodes need 3
        NodeGroup cpu = group("cpu", Resources.of(4000, 16 * GI).withPods(110));
        NodeGroup gpu = group("gpu", new Resources(8000, 32 * GI, 0, 110, Map.of("nvidia.com/gpu", 1L)));
        List<PendingPod> pods = new ArrayList<>();
        List<String> onCpu = new ArrayList<>();
        List<String> onGpu = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            pods.add(pod("web-" + i, Resources.of(1000, GI)));
            onCpu.add("default/web-" + i);
        }
        for (int i = 0; i < 3; i++) {
            pods.add(pod("train-" + i, new Resources(1000, GI, 0, 1, Map.of("nvidia.com/gpu", 1L))));
            onGpu.add("default/train-" + i);
        }
        PendingPod daemonSet = new PendingPod("kube-system", "ds", Resources.of(500, 0),
                Map.of(), List.of(), List.of(new Toleration("", "Exists", "", null)), null, "DaemonSet/ds");
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(cpu, gpu), List.of(), pods, List.of(daemonSet), Map.of(),
                Set.of(), Set.of(), ClusterLimits.NONE);
        ScalePlan plan = new ScalePlan(List.of(new ScaleUp("cpu", Arch.ARM64, 0, 3, onCpu, null),
                new ScaleUp("gpu", Arch.ARM64, 0, 3, onGpu, null)), List.of(), List.of(), List.of());

        assertThat(LowerBound.of(snapshot, plan)).isEqualTo(new LowerBound.Bounds(5, 5));
    }

    private static NodeGroup group(String name, Resources allocatable) {
        return new NodeGroup(name, "simulated", Arch.ARM64, 0, 100, 0, 100, "x",
                1.0, NodeTemplate.forGroup(name, Arch.ARM64, "x", allocatable, Map.of(), List.of()));
    }

    private static PendingPod pod(String name, Resources requests) {
        return new PendingPod("default", name, requests, Map.of(), List.of(), List.of(), null, "ReplicaSet/x");
    }
}
