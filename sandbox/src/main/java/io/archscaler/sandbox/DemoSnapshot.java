package io.archscaler.sandbox;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the demo's pods and nodes are at one moment, and what that costs.
 *
 * @param scheduled       pods on a node, of all the pods the script wants
 * @param lockedOnAmd64   amd64-locked pods on amd64, of all amd64-locked pods
 * @param flexibleOnArm64 flexible pods on arm64, of all flexible pods
 * @param costByCapacity  the same cost split by capacity type and, within each, by arch
 */
public record DemoSnapshot(PodCount scheduled, Map<String, Integer> nodesByArch, PodCount lockedOnAmd64,
                           PodCount flexibleOnArm64, CostModel.Cost cost,
                           Map<CapacityType, Map<Arch, Double>> costByCapacity) {
    /** Workloads whose pods may only run on amd64; the others are flexible. */
    static final Set<String> LOCKED = Set.of("billing-legacy", "reports");

    /** {@code namespace/name} of a pod of an amd64-locked workload (pod names start with the workload). */
    static boolean isLocked(String podKey) {
        String name = podKey.substring(podKey.indexOf('/') + 1);
        return LOCKED.stream().anyMatch(w -> name.startsWith(w + "-"));
    }

    /** {@code count} pods of {@code total}. */
    public record PodCount(int count, int total) {
        /** {@code count/total}, as the summary prints it. */
        String fraction() {
            return count + "/" + total;
        }
    }

    public DemoSnapshot {
        nodesByArch = Map.copyOf(nodesByArch);
        Map<CapacityType, Map<Arch, Double>> copy = new EnumMap<>(CapacityType.class);
        costByCapacity.forEach((type, byArch) -> copy.put(type, Map.copyOf(byArch)));
        costByCapacity = Collections.unmodifiableMap(copy);
    }

    static DemoSnapshot take(DemoCluster cluster, ArchscalerConfig config) {
        Map<String, String> archOfNode = new HashMap<>();
        Map<String, Integer> nodesByArch = new HashMap<>(Map.of("arm64", 0, "amd64", 0));
        Map<String, Integer> nodesByGroup = new HashMap<>();
        for (Node n : cluster.nodes()) {
            String arch = n.getMetadata().getLabels().get("kubernetes.io/arch");
            archOfNode.put(n.getMetadata().getName(), arch);
            nodesByArch.merge(arch, 1, Integer::sum);
            nodesByGroup.merge(n.getMetadata().getLabels().get("archscaler.io/node-group"), 1, Integer::sum);
        }
        int scheduled = 0;
        int lockedOnAmd64 = 0;
        int flexibleOnArm64 = 0;
        for (Pod p : cluster.pods()) {
            String node = p.getSpec().getNodeName();
            if (node == null) {
                continue;
            }
            scheduled++;
            boolean locked = LOCKED.contains(p.getMetadata().getLabels().get("app"));
            String arch = archOfNode.get(node);
            if (locked && Arch.AMD64.label().equals(arch)) {
                lockedOnAmd64++;
            }
            if (!locked && Arch.ARM64.label().equals(arch)) {
                flexibleOnArm64++;
            }
        }
        int locked = 0;
        int flexible = 0;
        for (Map.Entry<String, Integer> w : cluster.replicas().entrySet()) {
            if (LOCKED.contains(w.getKey())) {
                locked += w.getValue();
            } else {
                flexible += w.getValue();
            }
        }
        List<NodeGroup> groups = new ArrayList<>();
        config.nodeGroups().forEach(g -> groups.add(g.toNodeGroup(0)));
        return new DemoSnapshot(new PodCount(scheduled, locked + flexible), nodesByArch,
                new PodCount(lockedOnAmd64, locked), new PodCount(flexibleOnArm64, flexible),
                CostModel.of(groups, nodesByGroup), CostModel.perHourByCapacityTypeAndArch(groups, nodesByGroup));
    }
}
