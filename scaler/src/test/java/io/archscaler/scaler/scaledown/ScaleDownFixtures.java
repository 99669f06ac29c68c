package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.TaintEffect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What scale-down and restore tests add to the planner's {@link Fixtures}: pods bound to nodes with their
 * labels, annotations and volumes, nodes carrying them, and disruption budgets.
 */
public final class ScaleDownFixtures {
    public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** Nodes are created long before the tests' clock, outside every delay. */
    public static final Instant LONG_AGO = T0.minusSeconds(86_400);

    private ScaleDownFixtures() {
    }

    public static NodeGroup group(String name, Arch arch, int minSize, int targetSize) {
        return Fixtures.group(name, arch).size(minSize, 10, targetSize).instanceType(null).price(0.1).build();
    }

    public static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    public static NodeBuilder node(String name, String group, Arch arch) {
        return new NodeBuilder(name, group, arch);
    }

    public static DisruptionBudget budget(String namespace, String name, Map<String, String> matchLabels, int allowed) {
        return new DisruptionBudget(namespace, name, new LabelSelector(matchLabels, List.of()), allowed);
    }

    /** A pod bound to a node: the planner's pod (500m, 1Gi, of a ReplicaSet) and what eviction looks at. */
    public static final class PodBuilder {
        private final Fixtures.PodBuilder pod;
        private boolean daemonSet;
        private final Map<String, String> labels = new HashMap<>(Map.of("app", "web"));
        private final Map<String, String> annotations = new HashMap<>();
        private final Map<String, String> localVolumes = new HashMap<>();

        private PodBuilder(String name) {
            this.pod = Fixtures.pod(name).memory("1Gi").owner("ReplicaSet/web-5d8f7c");
        }

        public PodBuilder namespace(String ns) {
            pod.namespace(ns);
            return this;
        }

        public PodBuilder cpu(String q) {
            pod.cpu(q);
            return this;
        }

        public PodBuilder memory(String q) {
            pod.memory(q);
            return this;
        }

        public PodBuilder tolerate(io.archscaler.scaler.model.Toleration t) {
            pod.tolerate(t);
            return this;
        }

        public PodBuilder request(String resource, String q) {
            pod.request(resource, q);
            return this;
        }

        public PodBuilder bare() {
            pod.owner(null);
            return this;
        }

        public PodBuilder daemonSet() {
            daemonSet = true;
            pod.owner("DaemonSet/agent");
            return this;
        }

        public PodBuilder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public PodBuilder annotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        public PodBuilder localVolume(String volume, String kind) {
            localVolumes.put(volume, kind);
            return this;
        }

        public PodBuilder nodeSelector(String k, String v) {
            pod.selector(k, v);
            return this;
        }

        public PodBuilder amd64Only() {
            return nodeSelector(NodeTemplate.ARCH_LABEL, "amd64");
        }

        public PodBuilder images(Arch... archs) {
            pod.images(archs);
            return this;
        }

        public BoundPod build() {
            return new BoundPod(pod.build(), labels, annotations, daemonSet, localVolumes);
        }
    }

    /** A node of a group with the pods on it, which make up what it has requested; created {@link #LONG_AGO}. */
    public static final class NodeBuilder {
        private final Fixtures.NodeBuilder node;
        private final List<BoundPod> pods = new ArrayList<>();
        private final Map<String, String> annotations = new HashMap<>();

        private NodeBuilder(String name, String group, Arch arch) {
            this.node = Fixtures.node(name, arch).created(LONG_AGO);
            if (group != null) {
                node.group(group);
            }
        }

        public NodeBuilder capacity(String cpu, String memory) {
            node.allocatable(cpu, memory, 29);
            return this;
        }

        public NodeBuilder pods(BoundPod... more) {
            pods.addAll(List.of(more));
            return this;
        }

        public NodeBuilder pods(PodBuilder... more) {
            for (PodBuilder p : more) {
                pods.add(p.build());
            }
            return this;
        }

        public NodeBuilder annotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        public NodeBuilder notReady() {
            node.notReady();
            return this;
        }

        public NodeBuilder cordoned() {
            node.cordoned();
            return this;
        }

        public NodeBuilder created(Instant at) {
            node.created(at);
            return this;
        }

        public NodeBuilder beingDeleted() {
            node.taint(ScaleDownAnnotations.TO_BE_DELETED_TAINT, "1", TaintEffect.NO_SCHEDULE);
            return this;
        }

        public NodeWithPods build() {
            Resources requested = Resources.ZERO;
            for (BoundPod p : pods) {
                requested = requested.plus(p.pod().requests().withPods(1));
            }
            return new NodeWithPods(node.requested(requested).build(), annotations, pods);
        }
    }
}
