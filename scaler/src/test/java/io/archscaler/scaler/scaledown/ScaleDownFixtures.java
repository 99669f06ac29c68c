package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Short builders for nodes with their pods, groups and budgets in scale-down tests. */
final class ScaleDownFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** Nodes are created long before the tests' clock, outside every delay. */
    static final Instant LONG_AGO = T0.minusSeconds(86_400);

    private ScaleDownFixtures() {
    }

    static NodeGroup group(String name, Arch arch, int minSize, int targetSize) {
        NodeTemplate t = NodeTemplate.forGroup(name, arch, null,
                Resources.parse("capacity", Map.of("cpu", "2", "memory", "8Gi", "pods", "29")), Map.of(), List.of());
        return new NodeGroup(name, "simulated", arch, minSize, 10, targetSize, NodeGroup.defaultWeight(arch), null, 0.1, t);
    }

    static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    static NodeBuilder node(String name, String group, Arch arch) {
        return new NodeBuilder(name, group, arch);
    }

    static DisruptionBudget budget(String namespace, String name, Map<String, String> matchLabels, int allowed) {
        return new DisruptionBudget(namespace, name, new LabelSelector(matchLabels, List.of()), allowed);
    }

    static final class PodBuilder {
        private final String name;
        private String namespace = "default";
        private String cpu = "500m";
        private String memory = "1Gi";
        private String owner = "ReplicaSet/web-5d8f7c";
        private boolean daemonSet;
        private final Map<String, String> labels = new HashMap<>(Map.of("app", "web"));
        private final Map<String, String> annotations = new HashMap<>();
        private final Map<String, String> localVolumes = new HashMap<>();
        private final Map<String, String> nodeSelector = new HashMap<>();
        private Set<Arch> imageArchs;

        private PodBuilder(String name) {
            this.name = name;
        }

        PodBuilder namespace(String ns) {
            namespace = ns;
            return this;
        }

        PodBuilder cpu(String q) {
            cpu = q;
            return this;
        }

        PodBuilder memory(String q) {
            memory = q;
            return this;
        }

        PodBuilder bare() {
            owner = null;
            return this;
        }

        PodBuilder daemonSet() {
            daemonSet = true;
            owner = "DaemonSet/agent";
            return this;
        }

        PodBuilder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        PodBuilder annotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        PodBuilder localVolume(String volume, String kind) {
            localVolumes.put(volume, kind);
            return this;
        }

        PodBuilder nodeSelector(String k, String v) {
            nodeSelector.put(k, v);
            return this;
        }

        PodBuilder amd64Only() {
            return nodeSelector(NodeTemplate.ARCH_LABEL, "amd64");
        }

        PodBuilder images(Arch... archs) {
            imageArchs = Set.of(archs);
            return this;
        }

        BoundPod build() {
            PendingPod p = new PendingPod(namespace, name, Resources.parse("requests", Map.of("cpu", cpu, "memory", memory))
                    .withPods(1), nodeSelector, List.of(), List.of(), imageArchs, owner);
            return new BoundPod(p, labels, annotations, daemonSet, localVolumes);
        }
    }

    static final class NodeBuilder {
        private final String name;
        private final String group;
        private final Arch arch;
        private String cpu = "2";
        private String memory = "8Gi";
        private boolean ready = true;
        private boolean unschedulable;
        private Instant created = LONG_AGO;
        private final List<BoundPod> pods = new ArrayList<>();
        private final List<Taint> taints = new ArrayList<>();
        private final Map<String, String> annotations = new HashMap<>();

        private NodeBuilder(String name, String group, Arch arch) {
            this.name = name;
            this.group = group;
            this.arch = arch;
        }

        NodeBuilder capacity(String cpu, String memory) {
            this.cpu = cpu;
            this.memory = memory;
            return this;
        }

        NodeBuilder pods(BoundPod... more) {
            pods.addAll(List.of(more));
            return this;
        }

        NodeBuilder pods(PodBuilder... more) {
            for (PodBuilder p : more) {
                pods.add(p.build());
            }
            return this;
        }

        NodeBuilder annotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        NodeBuilder notReady() {
            ready = false;
            return this;
        }

        NodeBuilder cordoned() {
            unschedulable = true;
            return this;
        }

        NodeBuilder created(Instant at) {
            created = at;
            return this;
        }

        NodeBuilder beingDeleted() {
            taints.add(new Taint(ScaleDownAnnotations.TO_BE_DELETED_TAINT, "1", TaintEffect.NO_SCHEDULE));
            return this;
        }

        NodeWithPods build() {
            Resources requested = Resources.ZERO;
            for (BoundPod p : pods) {
                requested = requested.plus(p.pod().requests().withPods(1));
            }
            Map<String, String> labels = Map.of(NodeTemplate.ARCH_LABEL, arch.label(), "kubernetes.io/hostname", name);
            Node node = new Node(name, group, arch,
                    Resources.parse("allocatable", Map.of("cpu", cpu, "memory", memory, "pods", "29")), requested,
                    labels, taints, unschedulable, ready, created);
            return new NodeWithPods(node, annotations, pods);
        }
    }
}
