package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.model.Toleration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Short builders for pods, groups, nodes and snapshots in planner tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Resources res(String cpu, String memory) {
        return Resources.parse("test", Map.of("cpu", cpu, "memory", memory));
    }

    static Resources res(Map<String, String> list) {
        return Resources.parse("test", list);
    }

    static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTerm(List.of(expressions));
    }

    /** A term on the node's name only, as the DaemonSet controller writes it. */
    static NodeSelectorTerm fieldTerm(String operator, String nodeName) {
        return new NodeSelectorTerm(List.of(), List.of(new NodeSelectorRequirement("metadata.name", operator,
                List.of(nodeName))));
    }

    static Taint taint(String key, String value, TaintEffect effect) {
        return new Taint(key, value, effect);
    }

    static Toleration tolerateEqual(String key, String value, TaintEffect effect) {
        return new Toleration(key, "Equal", value, effect);
    }

    static Toleration tolerateExists(String key, TaintEffect effect) {
        return new Toleration(key, "Exists", null, effect);
    }

    static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    static GroupBuilder group(String name, Arch arch) {
        return new GroupBuilder(name, arch);
    }

    static NodeBuilder node(String name, Arch arch) {
        return new NodeBuilder(name, arch);
    }

    static SnapshotBuilder snapshot() {
        return new SnapshotBuilder();
    }

    static List<PendingPod> pods(String prefix, int count, String cpu, String memory) {
        List<PendingPod> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(pod(String.format("%s-%05d", prefix, i)).cpu(cpu).memory(memory).build());
        }
        return list;
    }

    static final class PodBuilder {
        private final String name;
        private String namespace = "default";
        private final Map<String, String> requests = new HashMap<>(Map.of("cpu", "500m", "memory", "512Mi"));
        private final Map<String, String> nodeSelector = new HashMap<>();
        private final List<NodeSelectorTerm> affinity = new ArrayList<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private Set<Arch> imageArchs;

        private PodBuilder(String name) {
            this.name = name;
        }

        PodBuilder namespace(String ns) {
            namespace = ns;
            return this;
        }

        PodBuilder cpu(String q) {
            requests.put("cpu", q);
            return this;
        }

        PodBuilder memory(String q) {
            requests.put("memory", q);
            return this;
        }

        PodBuilder request(String resource, String q) {
            requests.put(resource, q);
            return this;
        }

        PodBuilder gpu(int n) {
            return request("nvidia.com/gpu", Integer.toString(n));
        }

        PodBuilder selector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        PodBuilder affinity(NodeSelectorTerm... terms) {
            affinity.addAll(List.of(terms));
            return this;
        }

        PodBuilder tolerate(Toleration... t) {
            tolerations.addAll(List.of(t));
            return this;
        }

        PodBuilder images(Arch... archs) {
            imageArchs = archs.length == 0 ? EnumSet.noneOf(Arch.class) : EnumSet.copyOf(Arrays.asList(archs));
            return this;
        }

        PendingPod build() {
            return new PendingPod(namespace, name, Resources.parse("pod", requests).withPods(1), nodeSelector,
                    affinity, tolerations, imageArchs, "ReplicaSet/" + name);
        }
    }

    static final class GroupBuilder {
        private final String name;
        private final Arch arch;
        private int minSize;
        private int maxSize = 10;
        private int targetSize;
        private int weight;
        private double price;
        private String instanceType;
        private Map<String, String> capacity = new HashMap<>(Map.of("cpu", "2", "memory", "8Gi", "pods", "29"));
        private final Map<String, String> labels = new TreeMap<>();
        private final List<Taint> taints = new ArrayList<>();

        private GroupBuilder(String name, Arch arch) {
            this.name = name;
            this.arch = arch;
            this.weight = NodeGroup.defaultWeight(arch);
            this.price = arch == Arch.ARM64 ? 0.0770 : 0.0960;
            this.instanceType = arch == Arch.ARM64 ? "m6g.large" : "m5.large";
        }

        GroupBuilder size(int min, int max, int target) {
            minSize = min;
            maxSize = max;
            targetSize = target;
            return this;
        }

        GroupBuilder max(int max) {
            maxSize = max;
            return this;
        }

        GroupBuilder target(int target) {
            targetSize = target;
            return this;
        }

        GroupBuilder weight(int w) {
            weight = w;
            return this;
        }

        GroupBuilder price(double p) {
            price = p;
            return this;
        }

        GroupBuilder capacity(String cpu, String memory, int pods) {
            capacity = new HashMap<>(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        GroupBuilder capacity(String resource, String q) {
            capacity.put(resource, q);
            return this;
        }

        GroupBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        GroupBuilder taint(String key, String value, TaintEffect effect) {
            taints.add(new Taint(key, value, effect));
            return this;
        }

        NodeGroup build() {
            NodeTemplate template = NodeTemplate.forGroup(name, arch, instanceType,
                    Resources.parse("capacity", capacity), labels, taints);
            return new NodeGroup(name, "simulated", arch, minSize, maxSize, targetSize, weight, instanceType, price,
                    template);
        }
    }

    static final class NodeBuilder {
        private final String name;
        private final Arch arch;
        private String group;
        private Resources allocatable = res(Map.of("cpu", "2", "memory", "8Gi", "pods", "29"));
        private Resources requested = Resources.ZERO;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private boolean unschedulable;
        private boolean ready = true;

        private NodeBuilder(String name, Arch arch) {
            this.name = name;
            this.arch = arch;
            labels.put(NodeTemplate.ARCH_LABEL, arch.label());
            labels.put("kubernetes.io/hostname", name);
        }

        NodeBuilder group(String g) {
            group = g;
            labels.put(NodeTemplate.GROUP_LABEL, g);
            return this;
        }

        NodeBuilder allocatable(String cpu, String memory, int pods) {
            allocatable = res(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        NodeBuilder requested(String cpu, String memory, int pods) {
            requested = res(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        NodeBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        NodeBuilder taint(String key, String value, TaintEffect effect) {
            taints.add(new Taint(key, value, effect));
            return this;
        }

        NodeBuilder cordoned() {
            unschedulable = true;
            return this;
        }

        NodeBuilder notReady() {
            ready = false;
            return this;
        }

        Node build() {
            return new Node(name, group, arch, allocatable, requested, labels, taints, unschedulable, ready,
                    Instant.parse("2026-11-22T10:00:00Z"));
        }
    }

    static final class SnapshotBuilder {
        private final List<NodeGroup> groups = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final List<PendingPod> pods = new ArrayList<>();
        private final List<PendingPod> daemonSets = new ArrayList<>();
        private final Map<String, Integer> inFlight = new HashMap<>();
        private final Set<String> backedOff = new HashSet<>();
        private final Set<String> circuitOpen = new HashSet<>();
        private ClusterLimits limits = ClusterLimits.NONE;

        SnapshotBuilder groups(GroupBuilder... builders) {
            for (GroupBuilder b : builders) {
                groups.add(b.build());
            }
            return this;
        }

        SnapshotBuilder nodes(NodeBuilder... builders) {
            for (NodeBuilder b : builders) {
                nodes.add(b.build());
            }
            return this;
        }

        SnapshotBuilder node(Node n) {
            nodes.add(n);
            return this;
        }

        SnapshotBuilder pods(PodBuilder... builders) {
            for (PodBuilder b : builders) {
                pods.add(b.build());
            }
            return this;
        }

        SnapshotBuilder pods(List<PendingPod> list) {
            pods.addAll(list);
            return this;
        }

        SnapshotBuilder daemonSets(PodBuilder... builders) {
            for (PodBuilder b : builders) {
                daemonSets.add(b.build());
            }
            return this;
        }

        SnapshotBuilder inFlight(String group, int n) {
            inFlight.put(group, n);
            return this;
        }

        SnapshotBuilder backedOff(String group) {
            backedOff.add(group);
            return this;
        }

        SnapshotBuilder circuitOpen(String group) {
            circuitOpen.add(group);
            return this;
        }

        SnapshotBuilder limits(ClusterLimits l) {
            limits = l;
            return this;
        }

        ClusterSnapshot build() {
            return new ClusterSnapshot(groups, nodes, pods, daemonSets, inFlight, backedOff, circuitOpen, limits);
        }
    }
}
