package io.archscaler.kube;

import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.DisruptionBudget;
import io.archscaler.scaler.scaledown.LabelSelector;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.ScaleDownInput;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Translates what scale-down looks at (pods on nodes, their owners, annotations and local
 * volumes, node annotations, PodDisruptionBudgets) into the scale-down planner's model. Pure: no I/O.
 */
public final class KubeScaleDown {
    private KubeScaleDown() {
    }

    /** A running pod as scale-down sees it; throws {@link KubeTranslationException} for an unreadable pod. */
    public static BoundPod boundPod(Pod pod) {
        var meta = pod.getMetadata();
        return new BoundPod(KubePods.toPendingPod(pod), meta.getLabels(), meta.getAnnotations(),
                KubePods.ownedByDaemonSet(pod), localVolumes(pod));
    }

    /** The pod's volumes that keep data on the node: emptyDir not backed by memory, and hostPath. */
    static Map<String, String> localVolumes(Pod pod) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Volume v : KubePods.nullToEmpty(pod.getSpec() == null ? null : pod.getSpec().getVolumes())) {
            if (v.getHostPath() != null) {
                out.put(v.getName(), "hostPath");
            } else if (v.getEmptyDir() != null && !"Memory".equals(v.getEmptyDir().getMedium())) {
                out.put(v.getName(), "emptyDir");
            }
        }
        return out;
    }

    /** A PDB: no selector selects nothing; no status yet allows nothing, as the API server treats it. */
    public static DisruptionBudget budget(PodDisruptionBudget pdb) {
        var meta = pdb.getMetadata();
        String namespace = KubePods.isBlank(meta.getNamespace()) ? "default" : meta.getNamespace();
        var spec = pdb.getSpec();
        LabelSelector selector = spec == null || spec.getSelector() == null ? null : selector(spec.getSelector());
        Integer allowed = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptionsAllowed();
        return new DisruptionBudget(namespace, meta.getName(), selector, allowed == null ? 0 : allowed);
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        List<NodeSelectorRequirement> exprs = new ArrayList<>();
        for (LabelSelectorRequirement r : KubePods.nullToEmpty(s.getMatchExpressions())) {
            exprs.add(new NodeSelectorRequirement(r.getKey(), r.getOperator(), r.getValues()));
        }
        return new LabelSelector(s.getMatchLabels(), exprs);
    }

    /** A node in the planner's model with its annotations and the pods bound to it. */
    public static NodeWithPods nodeWithPods(Node node, io.fabric8.kubernetes.api.model.Node kubeNode, List<Pod> pods) {
        List<BoundPod> bound = new ArrayList<>(pods.size());
        pods.forEach(p -> bound.add(boundPod(p)));
        Map<String, String> annotations = kubeNode == null || kubeNode.getMetadata() == null ? Map.of()
                : kubeNode.getMetadata().getAnnotations();
        return new NodeWithPods(node, annotations, bound);
    }

    /**
     * Scale-down's input from a snapshot built by {@link KubeSnapshot} and the same objects: pods
     * bound to each node and still running, PDBs. No scale-up or failure history is known.
     */
    public static ScaleDownInput input(ClusterSnapshot snapshot, List<io.fabric8.kubernetes.api.model.Node> kubeNodes,
                                       List<Pod> pods, List<PodDisruptionBudget> pdbs) {
        Map<String, io.fabric8.kubernetes.api.model.Node> byName = new HashMap<>();
        kubeNodes.forEach(n -> byName.put(KubeNodes.name(n), n));
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod p : pods) {
            if (KubePods.isBoundAndActive(p)) {
                byNode.computeIfAbsent(p.getSpec().getNodeName(), k -> new ArrayList<>()).add(p);
            }
        }
        List<NodeWithPods> nodes = new ArrayList<>();
        for (Node n : snapshot.nodes()) {
            nodes.add(nodeWithPods(n, byName.get(n.name()), byNode.getOrDefault(n.name(), List.of())));
        }
        return new ScaleDownInput(snapshot.nodeGroups(), nodes, pdbs.stream().map(KubeScaleDown::budget).toList(),
                Map.of(), Map.of());
    }

    /**
     * When the objects were last seen changing: the newest creation, heartbeat or transition time
     * they carry, as an estimate of when a snapshot was taken; empty when they carry none.
     */
    public static Optional<Instant> newestTimestamp(List<io.fabric8.kubernetes.api.model.Node> nodes, List<Pod> pods) {
        Instant[] newest = {null};
        Consumer<String> see = ts -> {
            if (!KubePods.isBlank(ts)) {
                try {
                    Instant t = Instant.parse(ts);
                    if (newest[0] == null || t.isAfter(newest[0])) {
                        newest[0] = t;
                    }
                } catch (DateTimeParseException e) {
                    // a timestamp that cannot be read says nothing about when the snapshot was taken
                }
            }
        };
        for (io.fabric8.kubernetes.api.model.Node n : nodes) {
            see.accept(n.getMetadata() == null ? null : n.getMetadata().getCreationTimestamp());
            if (n.getStatus() != null) {
                for (NodeCondition c : KubePods.nullToEmpty(n.getStatus().getConditions())) {
                    see.accept(c.getLastHeartbeatTime());
                    see.accept(c.getLastTransitionTime());
                }
            }
        }
        for (Pod p : pods) {
            see.accept(p.getMetadata() == null ? null : p.getMetadata().getCreationTimestamp());
            if (p.getStatus() != null) {
                for (PodCondition c : KubePods.nullToEmpty(p.getStatus().getConditions())) {
                    see.accept(c.getLastTransitionTime());
                }
            }
        }
        return Optional.ofNullable(newest[0]);
    }
}
