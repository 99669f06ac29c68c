package io.archscaler.kube;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Translates fabric8 Nodes into the planner's {@link Node}. Pure: no I/O. */
public final class KubeNodes {
    /** The taints that say a node cannot take pods yet, whatever its Ready condition says. */
    static final Set<String> NOT_READY_TAINTS = Set.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/network-unavailable", "node.kubernetes.io/disk-pressure");

    private KubeNodes() {
    }

    /**
     * The node as the planner sees it.
     *
     * @param requested the summed requests of the pods bound to it ({@code pods} their count)
     */
    public static Node toNode(io.fabric8.kubernetes.api.model.Node node, NodeGroupMembership membership,
                              Resources requested) {
        String name = name(node);
        String object = "node " + name;
        Map<String, String> labels = node.getMetadata().getLabels();
        NodeStatus status = node.getStatus();
        Resources allocatable = status == null ? Resources.ZERO
                : Quantities.parse(object, "status.allocatable", Quantities.texts(status.getAllocatable()));
        boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        return new Node(name, membership.groupOf(labels).orElse(null), arch(node).orElse(null), allocatable,
                requested == null ? Resources.ZERO : requested, labels, taints(object, node), unschedulable,
                isReady(node), created(object, node));
    }

    /** From the {@code kubernetes.io/arch} label, else from {@code status.nodeInfo.architecture}. */
    public static Optional<Arch> arch(io.fabric8.kubernetes.api.model.Node node) {
        Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        if (labels != null && labels.containsKey(NodeTemplate.ARCH_LABEL)) {
            return Arch.fromLabel(labels.get(NodeTemplate.ARCH_LABEL));
        }
        NodeStatus status = node.getStatus();
        if (status != null && status.getNodeInfo() != null) {
            return Arch.fromLabel(status.getNodeInfo().getArchitecture());
        }
        return Optional.empty();
    }

    public static String name(io.fabric8.kubernetes.api.model.Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        if (KubePods.isBlank(name)) {
            throw new KubeTranslationException("a node has no metadata.name");
        }
        return name;
    }

    /**
     * Ready to take pods: its Ready condition is True and it carries none of the taints the node
     * lifecycle controller keeps on a node that is not (not-ready, network-unavailable,
     * disk-pressure), as the Cluster Autoscaler judges readiness. A node just registered says Ready
     * before the controller has lifted the not-ready taint the API server put on it; until then the
     * scheduler binds nothing there, so it still counts as capacity on its way, not as a full node.
     */
    public static boolean isReady(io.fabric8.kubernetes.api.model.Node node) {
        NodeStatus status = node.getStatus();
        if (status == null) {
            return false;
        }
        boolean ready = false;
        for (NodeCondition c : KubePods.nullToEmpty(status.getConditions())) {
            if ("Ready".equals(c.getType())) {
                ready = "True".equals(c.getStatus());
                break;
            }
        }
        if (!ready || node.getSpec() == null) {
            return ready;
        }
        for (io.fabric8.kubernetes.api.model.Taint t : KubePods.nullToEmpty(node.getSpec().getTaints())) {
            if (t.getKey() != null && NOT_READY_TAINTS.contains(t.getKey())) {
                return false;
            }
        }
        return true;
    }

    private static List<Taint> taints(String object, io.fabric8.kubernetes.api.model.Node node) {
        List<Taint> out = new ArrayList<>();
        if (node.getSpec() == null) {
            return out;
        }
        for (io.fabric8.kubernetes.api.model.Taint t : KubePods.nullToEmpty(node.getSpec().getTaints())) {
            TaintEffect effect = TaintEffect.parse(t.getEffect()).orElseThrow(() -> new KubeTranslationException(
                    object + ": spec.taints: unknown effect \"" + t.getEffect() + "\" for key " + t.getKey()));
            if (KubePods.isBlank(t.getKey())) {
                throw new KubeTranslationException(object + ": spec.taints: a taint has no key");
            }
            out.add(new Taint(t.getKey(), t.getValue(), effect));
        }
        return out;
    }

    private static Instant created(String object, io.fabric8.kubernetes.api.model.Node node) {
        String ts = node.getMetadata().getCreationTimestamp();
        if (KubePods.isBlank(ts)) {
            return null;
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new KubeTranslationException(object + ": metadata.creationTimestamp: not a timestamp: \"" + ts + "\"");
        }
    }
}
