package io.archscaler.bench;

import io.archscaler.cloud.instancetypes.EksAllocatable;
import io.archscaler.cloud.instancetypes.InstanceType;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds a realistic mixed-arch cluster from a {@link BenchSpec}: node groups of instance types
 * from the bundled catalog (half arm64, half amd64, two GPU groups and two tainted batch groups),
 * registered nodes that are mostly full, and pending pods in equivalence classes — 70% flexible,
 * 20% locked to amd64 by nodeSelector or affinity, 10% with GPUs, tolerations or custom
 * selectors. The same spec always gives the same cluster.
 */
public final class SyntheticCluster {
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String WORKLOAD_LABEL = "workload";
    static final Taint GPU_TAINT = new Taint(EksAllocatable.GPU, "present", TaintEffect.NO_SCHEDULE);
    static final Taint BATCH_TAINT = new Taint("dedicated", "batch", TaintEffect.NO_SCHEDULE);
    private static final String[] ZONES = {"us-east-1a", "us-east-1b", "us-east-1c"};
    /** General groups cycle through these families, pairwise (one arm64 and one amd64 group each). */
    private static final String[] FAMILIES = {"m", "c", "m", "r"};
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    /** Common cpu requests, small ones listed more often because they are more common. */
    private static final long[] CPU_MILLIS = {50, 100, 100, 100, 150, 200, 250, 250, 250, 300, 400, 500, 500, 500,
            750, 1000, 1000, 1500, 2000};
    /** GiB of memory per core: compute-, general- and memory-optimised shapes. */
    private static final double[] GIB_PER_CORE = {1, 2, 2, 2, 4, 4, 8};
    private static final Instant CREATED = Instant.parse("2026-01-05T08:00:00Z");

    private final BenchSpec spec;
    private final Random random;
    private final InstanceTypeCatalog catalog;

    private SyntheticCluster(BenchSpec spec, InstanceTypeCatalog catalog) {
        this.spec = spec;
        this.random = new Random(spec.seed());
        this.catalog = catalog;
    }

    /** The cluster for the spec. */
    public static ClusterSnapshot generate(BenchSpec spec) {
        return new SyntheticCluster(spec, InstanceTypeCatalog.bundled()).build();
    }

    private ClusterSnapshot build() {
        List<NodeGroup> groups = groups();
        List<PendingPod> daemonSets = daemonSets();
        int[] nodesPerGroup = nodesPerGroup(groups);
        List<Node> nodes = new ArrayList<>(spec.nodes());
        Map<String, Integer> inFlight = new HashMap<>();
        List<NodeGroup> sized = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            NodeGroup group = groups.get(g);
            for (int i = 0; i < nodesPerGroup[g]; i++) {
                nodes.add(node(group, i));
            }
            // every tenth group has a scale-up under way, so in-flight capacity is part of the picture
            int coming = g % 10 == 3 ? 2 : 0;
            if (coming > 0) {
                inFlight.put(group.name(), coming);
            }
            int target = nodesPerGroup[g] + coming;
            sized.add(new NodeGroup(group.name(), group.provider(), group.arch(), 0, target + 400, target,
                    group.weight(), group.instanceType(), group.pricePerHour(), group.template(),
                    group.capacityType()));
        }
        List<PendingPod> pods = pods();
        ClusterLimits limits = ClusterLimits.ofNodes((long) spec.nodes() + spec.pods() + 1000L);
        return new ClusterSnapshot(sized, nodes, pods, daemonSets, inFlight, Set.of(), Set.of(), limits);
    }

    // ---- node groups -------------------------------------------------------------------------

    private List<NodeGroup> groups() {
        List<NodeGroup> groups = new ArrayList<>();
        groups.add(group("gpu-arm64", type("g5g.xlarge"), ZONES[0], Map.of(WORKLOAD_LABEL, "gpu"), List.of(GPU_TAINT)));
        groups.add(group("gpu-amd64", type("g4dn.xlarge"), ZONES[1], Map.of(WORKLOAD_LABEL, "gpu"), List.of(GPU_TAINT)));
        groups.add(group("batch-arm64", type("m7g.4xlarge"), ZONES[2], Map.of(WORKLOAD_LABEL, "batch"),
                List.of(BATCH_TAINT)));
        groups.add(group("batch-amd64", type("m6i.4xlarge"), ZONES[0], Map.of(WORKLOAD_LABEL, "batch"),
                List.of(BATCH_TAINT)));
        int general = spec.nodeGroups() - groups.size();
        for (int g = 0; g < general; g++) {
            Arch arch = g % 2 == 0 ? Arch.ARM64 : Arch.AMD64;
            String family = FAMILIES[(g / 2) % FAMILIES.length];
            InstanceType type = generalType(arch, family);
            String zone = ZONES[g % ZONES.length];
            String workload = family.equals("r") ? "memory" : "general";
            String name = String.format("%s-%s-%s-%02d", arch == Arch.ARM64 ? "arm" : "x86",
                    type.name().replace('.', '-'), zone.substring(zone.length() - 1), g);
            groups.add(group(name, type, zone, Map.of(WORKLOAD_LABEL, workload), List.of()));
        }
        return groups;
    }

    private NodeGroup group(String name, InstanceType type, String zone, Map<String, String> labels, List<Taint> taints) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(ZONE_LABEL, zone);
        NodeTemplate template = NodeTemplate.forGroup(name, type.arch(), type.name(), EksAllocatable.of(type), all,
                taints);
        return new NodeGroup(name, "simulated", type.arch(), 0, 0, 0, NodeGroup.defaultWeight(type.arch()),
                type.name(), type.pricePerHour(), template);
    }

    private InstanceType type(String name) {
        return catalog.find(name).orElseThrow(() -> new IllegalStateException(
                "instance type " + name + " is missing from the bundled catalog"));
    }

    /** A general-purpose type of the family, xlarge and up, without GPUs and not burstable. */
    private InstanceType generalType(Arch arch, String family) {
        List<InstanceType> fits = new ArrayList<>();
        for (InstanceType t : catalog.all()) {
            String prefix = t.name().substring(0, t.name().indexOf('.'));
            if (t.arch() == arch && t.gpus() == 0 && prefix.startsWith(family) && !t.name().endsWith(".large")
                    && prefix.length() <= 3) {
                fits.add(t);
            }
        }
        if (fits.isEmpty()) {
            throw new IllegalStateException("the bundled catalog has no " + family + "-family " + arch + " type");
        }
        return fits.get(random.nextInt(fits.size()));
    }

    private static List<PendingPod> daemonSets() {
        List<Toleration> everything = List.of(new Toleration("", "Exists", "", null));
        return List.of(
                new PendingPod("kube-system", "kube-proxy", new Resources(100, 128 * MI, 0, 1, Map.of()), Map.of(),
                        List.of(), everything, null, "DaemonSet/kube-proxy"),
                new PendingPod("kube-system", "aws-node", new Resources(25, 64 * MI, 0, 1, Map.of()), Map.of(),
                        List.of(), everything, null, "DaemonSet/aws-node"));
    }

    // ---- registered nodes ----------------------------------------------------------------------

    /** GPU groups are small, batch groups middling, general groups take the rest evenly. */
    private int[] nodesPerGroup(List<NodeGroup> groups) {
        double[] weights = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            String name = groups.get(g).name();
            weights[g] = name.startsWith("gpu-") ? 1 : name.startsWith("batch-") ? 3 : 10;
        }
        return apportion(spec.nodes(), weights);
    }

    private Node node(NodeGroup group, int index) {
        Resources alloc = group.template().allocatable();
        // clusters with pending pods are mostly full: 85-100% of cpu and 70-100% of memory requested
        long cpu = (long) (alloc.cpuMillis() * (0.85 + 0.15 * random.nextDouble()));
        long memory = (long) (alloc.memoryBytes() * (0.70 + 0.30 * random.nextDouble()));
        long pods = Math.min(alloc.pods(), 2 + cpu / 250);
        Map<String, Long> gpus = new HashMap<>();
        alloc.extended().forEach((k, v) -> gpus.put(k, random.nextInt(10) == 0 ? v - 1 : v));
        Resources requested = new Resources(cpu, memory, 0, pods, gpus);
        String name = String.format("%s-%05d", group.name(), index);
        Map<String, String> labels = new HashMap<>(group.template().labels());
        labels.put("kubernetes.io/hostname", name);
        // a few nodes are cordoned or not ready, as in any real cluster
        int r = random.nextInt(100);
        return new Node(name, group.name(), group.arch(), alloc, requested, labels, group.template().taints(), r == 0,
                r != 1, CREATED);
    }

    // ---- pending pods --------------------------------------------------------------------------

    private enum Kind { FLEXIBLE, AMD64_SELECTOR, AMD64_AFFINITY, GPU, BATCH, ZONE, MEMORY }

    /** One equivalence class: requests and constraints. */
    private record Shape(Kind kind, Resources requests, Map<String, String> nodeSelector,
                         List<NodeSelectorTerm> affinity, List<Toleration> tolerations, Set<Arch> imageArchs) {
    }

    private List<PendingPod> pods() {
        List<Shape> shapes = shapes();
        int[] perClass = apportion(spec.pods(), classWeights(shapes.size()));
        List<PendingPod> pods = new ArrayList<>(spec.pods());
        for (int k = 0; k < shapes.size(); k++) {
            Shape s = shapes.get(k);
            String namespace = "team-" + (k % 12);
            String app = "app-" + k;
            String hash = Integer.toHexString(0x10000000 | random.nextInt(0x0fffffff));
            for (int i = 0; i < perClass[k]; i++) {
                // each pod gets its own objects, as the informer's translation would give it
                Resources r = s.requests();
                pods.add(new PendingPod(namespace, app + "-" + hash + "-" + i,
                        new Resources(r.cpuMillis(), r.memoryBytes(), r.ephemeralStorageBytes(), 1, r.extended()),
                        new HashMap<>(s.nodeSelector()), new ArrayList<>(s.affinity()),
                        new ArrayList<>(s.tolerations()), s.imageArchs(), "ReplicaSet/" + app + "-" + hash));
            }
        }
        return pods;
    }

    /** A few big deployments and a long tail of small ones (Zipf-like, in a shuffled order). */
    private double[] classWeights(int k) {
        double[] w = new double[k];
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ranks.add(i + 1);
        }
        java.util.Collections.shuffle(ranks, random);
        for (int i = 0; i < k; i++) {
            w[i] = 1.0 / Math.pow(ranks.get(i), 0.8);
        }
        return w;
    }

    /** Class i is flexible for i mod 10 in 0..6, amd64-locked for 7..8, custom for 9: 70/20/10. */
    private List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>(spec.classes());
        Set<Shape> seen = new HashSet<>();
        int custom = 0;
        for (int i = 0; i < spec.classes(); i++) {
            int slot = i % 10;
            Kind kind;
            if (slot <= 6) {
                kind = Kind.FLEXIBLE;
            } else if (slot <= 8) {
                kind = slot == 7 ? Kind.AMD64_SELECTOR : Kind.AMD64_AFFINITY;
            } else {
                kind = new Kind[] {Kind.GPU, Kind.BATCH, Kind.ZONE, Kind.MEMORY}[custom++ % 4];
            }
            Shape s;
            do {
                s = shape(kind);
            } while (!seen.add(s));
            shapes.add(s);
        }
        return shapes;
    }

    private Shape shape(Kind kind) {
        long cpu = CPU_MILLIS[random.nextInt(CPU_MILLIS.length)] + 10L * random.nextInt(5);
        double gib = GIB_PER_CORE[random.nextInt(GIB_PER_CORE.length)] * cpu / 1000.0;
        long memory = Math.max(64, Math.round(gib * 1024 / 64) * 64) * MI;
        Set<Arch> multiArch = Set.of(Arch.ARM64, Arch.AMD64);
        List<Toleration> none = List.of();
        Map<String, String> noSelector = Map.of();
        List<NodeSelectorTerm> noAffinity = List.of();
        return switch (kind) {
            case FLEXIBLE -> new Shape(kind, Resources.of(cpu, memory), noSelector, noAffinity, none,
                    random.nextBoolean() ? multiArch : null);
            case AMD64_SELECTOR -> new Shape(kind, Resources.of(cpu, memory),
                    Map.of(NodeTemplate.ARCH_LABEL, Arch.AMD64.label()), noAffinity, none, null);
            case AMD64_AFFINITY -> new Shape(kind, Resources.of(cpu, memory), noSelector,
                    List.of(term(NodeTemplate.ARCH_LABEL, Arch.AMD64.label())), none, null);
            case GPU -> new Shape(kind, new Resources(1000 + 250L * random.nextInt(9), (2 + random.nextInt(5)) * GI, 0, 1,
                    Map.of(EksAllocatable.GPU, 1L)), noSelector, noAffinity,
                    List.of(new Toleration(EksAllocatable.GPU, "Exists", "", TaintEffect.NO_SCHEDULE)),
                    random.nextBoolean() ? multiArch : Set.of(Arch.AMD64));
            case BATCH -> new Shape(kind, Resources.of(500 + 250L * random.nextInt(12), (1 + random.nextInt(8)) * GI),
                    Map.of(WORKLOAD_LABEL, "batch"), noAffinity,
                    List.of(new Toleration("dedicated", "Equal", "batch", TaintEffect.NO_SCHEDULE)), multiArch);
            case ZONE -> new Shape(kind, Resources.of(cpu, memory), Map.of(ZONE_LABEL, ZONES[1]), noAffinity, none, null);
            case MEMORY -> new Shape(kind, Resources.of(cpu, Math.max(memory, 4 * cpu * MI * 1024 / 1000)), noSelector,
                    List.of(term(WORKLOAD_LABEL, "memory")), none, multiArch);
        };
    }

    private static NodeSelectorTerm term(String key, String value) {
        return new NodeSelectorTerm(List.of(new NodeSelectorRequirement(key, "In", List.of(value))));
    }

    /** Splits {@code total} by weight, largest remainders first, so the parts add up exactly. */
    static int[] apportion(int total, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        int[] parts = new int[weights.length];
        double[] rest = new double[weights.length];
        int given = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = total * weights[i] / sum;
            parts[i] = (int) Math.floor(exact);
            rest[i] = exact - parts[i];
            given += parts[i];
        }
        for (; given < total; given++) {
            int best = 0;
            for (int i = 1; i < rest.length; i++) {
                if (rest[i] > rest[best]) {
                    best = i;
                }
            }
            parts[best]++;
            rest[best] = -1;
        }
        return parts;
    }
}
