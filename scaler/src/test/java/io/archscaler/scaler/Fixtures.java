package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
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

/** Short builders for pods, groups, nodes and snapshots in planner and scale-down tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Resources res(String cpu, String memory) {
        return Resources.parse("test", Map.of("cpu", cpu, "memory", memory));
    }

    public static Resources res(Map<String, String> list) {
        return Resources.parse("test", list);
    }

    public static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    public static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTerm(List.of(expressions));
    }

    /** A term on the node's name only, as the DaemonSet controller writes it. */
    public static NodeSelectorTerm fieldTerm(String operator, String nodeName) {
        return new NodeSelectorTerm(List.of(), List.of(new NodeSelectorRequirement("metadata.name", operator,
                List.of(nodeName))));
    }

    public static Taint taint(String key, String value, TaintEffect effect) {
        return new Taint(key, value, effect);
    }

    public static Toleration tolerateEqual(String key, String value, TaintEffect effect) {
        return new Toleration(key, "Equal", value, effect);
    }

    public static Toleration tolerateExists(String key, TaintEffect effect) {
        return new Toleration(key, "Exists", null, effect);
    }

    public static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    public static GroupBuilder group(String name, Arch arch) {
        return new GroupBuilder(name, arch);
    }

    public static NodeBuilder node(String name, Arch arch) {
        return new NodeBuilder(name, arch);
    }

    public static SnapshotBuilder snapshot() {
        return new SnapshotBuilder();
    }

    public static List<PendingPod> pods(String prefix, int count, String cpu, String memory) {
        List<PendingPod> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(pod(String.format("%s-%05d", prefix, i)).cpu(cpu).memory(memory).build());
        }
        return list;
    }

    /** A pending pod: 500m and 512Mi, owned by a ReplicaSet of its own name, unless told otherwise. */
    public static final class PodBuilder {
        private final String name;
        private String namespace = "default";
        private final Map<String, String> requests = new HashMap<>(Map.of("cpu", "500m", "memory", "512Mi"));
        private final Map<String, String> nodeSelector = new HashMap<>();
        private final List<NodeSelectorTerm> affinity = new ArrayList<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private Set<Arch> imageArchs;
        private String owner;

        private PodBuilder(String name) {
            this.name = name;
            this.owner = "ReplicaSet/" + name;
        }

        public PodBuilder namespace(String ns) {
            namespace = ns;
            return this;
        }

        public PodBuilder cpu(String q) {
            requests.put("cpu", q);
            return this;
        }

        public PodBuilder memory(String q) {
            requests.put("memory", q);
            return this;
        }

        public PodBuilder request(String resource, String q) {
            requests.put(resource, q);
            return this;
        }

        /** The controller as {@code Kind/name}; null for a bare pod. */
        public PodBuilder owner(String kindAndName) {
            owner = kindAndName;
            return this;
        }

        public PodBuilder gpu(int n) {
            return request("nvidia.com/gpu", Integer.toString(n));
        }

        public PodBuilder selector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        public PodBuilder affinity(NodeSelectorTerm... terms) {
            affinity.addAll(List.of(terms));
            return this;
        }

        public PodBuilder tolerate(Toleration... t) {
            tolerations.addAll(List.of(t));
            return this;
        }

        public PodBuilder images(Arch... archs) {
            imageArchs = archs.length == 0 ? EnumSet.noneOf(Arch.class) : EnumSet.copyOf(Arrays.asList(archs));
            return this;
        }

        public PendingPod build() {
            return new PendingPod(namespace, name, Resources.parse("pod", requests).withPods(1), nodeSelector,
                    affinity, tolerations, imageArchs, owner);
        }
    }

    /** A node group of 2 CPU, 8Gi nodes at the arch's usual instance type and price, 0 to 10 nodes. */
    public static final class GroupBuilder {
        private final String name;
        private final Arch arch;
        private int minSize;
        private int maxSize = 10;
        private int targetSize;
        private int weight;
        private double price;
        private String instanceType;
        private CapacityType capacityType = CapacityType.ON_DEMAND;
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

        public GroupBuilder size(int min, int max, int target) {
            minSize = min;
            maxSize = max;
            targetSize = target;
            return this;
        }

        public GroupBuilder max(int max) {
            maxSize = max;
            return this;
        }

        public GroupBuilder target(int target) {
            targetSize = target;
            return this;
        }

        public GroupBuilder weight(int w) {
            weight = w;
            return this;
        }

        public GroupBuilder price(double p) {
            price = p;
            return this;
        }

        public GroupBuilder instanceType(String type) {
            instanceType = type;
            return this;
        }

        /** A spot group, weighted by the spot default unless {@link #weight} says otherwise later. */
        public GroupBuilder spot() {
            capacityType = CapacityType.SPOT;
            weight = NodeGroup.defaultWeight(arch, CapacityType.SPOT);
            return this;
        }

        public GroupBuilder capacity(String cpu, String memory, int pods) {
            capacity = new HashMap<>(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        public GroupBuilder capacity(String resource, String q) {
            capacity.put(resource, q);
            return this;
        }

        public GroupBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public GroupBuilder taint(String key, String value, TaintEffect effect) {
            taints.add(new Taint(key, value, effect));
            return this;
        }

        public NodeGroup build() {
            NodeTemplate template = NodeTemplate.forGroup(name, arch, instanceType,
                    Resources.parse("capacity", capacity), labels, taints).withCapacityType(capacityType);
            return new NodeGroup(name, "simulated", arch, minSize, maxSize, targetSize, weight, instanceType, price,
                    template, capacityType);
        }
    }

    /** A ready node of 2 CPU and 8Gi, nothing requested yet. */
    public static final class NodeBuilder {
        private final String name;
        private final Arch arch;
        private String group;
        private Resources allocatable = res(Map.of("cpu", "2", "memory", "8Gi", "pods", "29"));
        private Resources requested = Resources.ZERO;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private boolean unschedulable;
        private boolean ready = true;
        private Instant created = Instant.parse("2026-11-22T10:00:00Z");

        private NodeBuilder(String name, Arch arch) {
            this.name = name;
            this.arch = arch;
            labels.put(NodeTemplate.ARCH_LABEL, arch.label());
            labels.put("kubernetes.io/hostname", name);
        }

        public NodeBuilder group(String g) {
            group = g;
            labels.put(NodeTemplate.GROUP_LABEL, g);
            return this;
        }

        public NodeBuilder allocatable(String cpu, String memory, int pods) {
            allocatable = res(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        public NodeBuilder requested(String cpu, String memory, int pods) {
            requested = res(Map.of("cpu", cpu, "memory", memory, "pods", Integer.toString(pods)));
            return this;
        }

        public NodeBuilder requested(Resources r) {
            requested = r;
            return this;
        }

        public NodeBuilder created(Instant at) {
            created = at;
            return this;
        }

        public NodeBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public NodeBuilder taint(String key, String value, TaintEffect effect) {
            taints.add(new Taint(key, value, effect));
            return this;
        }

        public NodeBuilder cordoned() {
            unschedulable = true;
            return this;
        }

        public NodeBuilder notReady() {
            ready = false;
            return this;
        }

        public Node build() {
            return new Node(name, group, arch, allocatable, requested, labels, taints, unschedulable, ready, created);
        }
    }

    /** A cluster snapshot made of the builders above. */
    public static final class SnapshotBuilder {
        private final List<NodeGroup> groups = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final List<PendingPod> pods = new ArrayList<>();
        private final List<PendingPod> daemonSets = new ArrayList<>();
        private final Map<String, Integer> inFlight = new HashMap<>();
        private final Set<String> backedOff = new HashSet<>();
        private final Set<String> circuitOpen = new HashSet<>();
        private final Set<String> offeringOut = new HashSet<>();
        private ClusterLimits limits = ClusterLimits.NONE;

        public SnapshotBuilder groups(GroupBuilder... builders) {
            for (GroupBuilder b : builders) {
                groups.add(b.build());
            }
            return this;
        }

        public SnapshotBuilder nodes(NodeBuilder... builders) {
            for (NodeBuilder b : builders) {
                nodes.add(b.build());
            }
            return this;
        }

        public SnapshotBuilder node(Node n) {
            nodes.add(n);
            return this;
        }

        public SnapshotBuilder pods(PodBuilder... builders) {
            for (PodBuilder b : builders) {
                pods.add(b.build());
            }
            return this;
        }

        public SnapshotBuilder pods(List<PendingPod> list) {
            pods.addAll(list);
            return this;
        }

        public SnapshotBuilder daemonSets(PodBuilder... builders) {
            for (PodBuilder b : builders) {
                daemonSets.add(b.build());
            }
            return this;
        }

        public SnapshotBuilder inFlight(String group, int n) {
            inFlight.put(group, n);
            return this;
        }

        public SnapshotBuilder backedOff(String group) {
            backedOff.add(group);
            return this;
        }

        public SnapshotBuilder circuitOpen(String group) {
            circuitOpen.add(group);
            return this;
        }

        /** The groups whose offering is out: as the controller fills them in from its {@code Offerings}. */
        public SnapshotBuilder offeringOut(Set<String> groupNames) {
            offeringOut.addAll(groupNames);
            return this;
        }

        public List<NodeGroup> groups() {
            return List.copyOf(groups);
        }

        public SnapshotBuilder limits(ClusterLimits l) {
            limits = l;
            return this;
        }

        public ClusterSnapshot build() {
            return new ClusterSnapshot(groups, nodes, pods, daemonSets, inFlight, backedOff, circuitOpen, limits,
                    offeringOut);
        }
    }
}
