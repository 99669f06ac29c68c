package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.Toleration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a pod fits a node group's template or an existing node: architecture, nodeSelector,
 * required node affinity, taints, then resources. Each answer is the reason it does not fit.
 */
public final class TemplateFit {
    private TemplateFit() {
    }

    /** Why the pod cannot run on a new node of the group; empty when it can. */
    public static Optional<String> whyNot(PendingPod pod, NodeGroup group) {
        return whyNot(pod, group, Resources.ZERO);
    }

    /** The same, with {@code reserved} (the DaemonSet pods' requests) taken off the template's allocatable. */
    public static Optional<String> whyNot(PendingPod pod, NodeGroup group, Resources reserved) {
        if (group.template() == null) {
            return Optional.of("node group has no template");
        }
        NodeTemplate template = group.template();
        Arch arch = Labels.archOf(group);
        String why = constraints(pod.nodeSelector(), pod.requiredAffinity(), pod.tolerations(),
                ArchResolver.allowed(pod), arch, Labels.withArch(template.labels(), arch), template.taints());
        return Optional.ofNullable(why != null ? why
                : resources(requestsOf(pod), Labels.allocatableOf(template).minus(reserved)));
    }

    /** Why the pod cannot run on this registered node now (on its free room); empty when it can. */
    public static Optional<String> whyNot(PendingPod pod, Node node) {
        if (!node.ready()) {
            return Optional.of("node " + node.name() + " is not ready");
        }
        if (node.unschedulable()) {
            return Optional.of("node " + node.name() + " is cordoned");
        }
        Arch arch = Labels.archOf(node);
        Map<String, String> labels = Labels.withArch(node.labels(), arch);
        if (NodeSelectors.usesFields(pod.requiredAffinity())) {
            labels = NodeSelectors.withName(labels, node.name());
        }
        String why = constraints(pod.nodeSelector(), pod.requiredAffinity(), pod.tolerations(),
                ArchResolver.allowed(pod), arch, labels, node.taints());
        Resources free = node.allocatable() == null ? Resources.ZERO
                : node.requested() == null ? node.allocatable() : node.free();
        return Optional.ofNullable(why != null ? why : resources(requestsOf(pod), free));
    }

    /** A pod takes one pod slot whatever its requests say. */
    static Resources requestsOf(PendingPod pod) {
        Resources r = pod.requests();
        if (r == null) {
            return Resources.ZERO.withPods(1);
        }
        // most pods already say one pod: no copy (the copy re-sorts any extended resources)
        return r.pods() == 1 ? r : r.withPods(1);
    }

    /** Everything but resources: what decides whether a pod may ever land on such a node. */
    static String constraints(Map<String, String> nodeSelector, List<NodeSelectorTerm> affinity,
                              List<Toleration> tolerations, Set<Arch> allowed, Arch arch,
                              Map<String, String> labels, List<Taint> taints) {
        if (arch == null) {
            if (allowed.size() < Arch.values().length) {
                return "architecture unknown, pod needs " + ArchResolver.format(allowed);
            }
        } else if (!allowed.contains(arch)) {
            return "architecture " + arch + " not allowed (pod allows " + ArchResolver.format(allowed) + ")";
        }
        String selector = NodeSelectors.selectorMismatch(nodeSelector, labels);
        if (selector != null) {
            return "node selector " + selector + " does not match";
        }
        if (!NodeSelectors.affinityMatches(affinity, labels)) {
            return "required node affinity " + NodeSelectors.describe(affinity) + " does not match";
        }
        Taint taint = Taints.untolerated(taints, tolerations);
        if (taint != null) {
            return "taint " + taint + " not tolerated";
        }
        return null;
    }

    /** The first resource of {@code requests} that {@code free} cannot hold, as a reason; null when all fit. */
    static String resources(Resources requests, Resources free) {
        if (requests.cpuMillis() > free.cpuMillis()) {
            return insufficient("cpu", Amounts.cpu(requests.cpuMillis()), Amounts.cpu(Math.max(0, free.cpuMillis())));
        }
        if (requests.memoryBytes() > free.memoryBytes()) {
            return insufficient("memory", Amounts.bytes(requests.memoryBytes()), Amounts.bytes(Math.max(0, free.memoryBytes())));
        }
        if (requests.ephemeralStorageBytes() > free.ephemeralStorageBytes()) {
            return insufficient("ephemeral-storage", Amounts.bytes(requests.ephemeralStorageBytes()),
                    Amounts.bytes(Math.max(0, free.ephemeralStorageBytes())));
        }
        if (requests.pods() > free.pods()) {
            return insufficient("pods", Long.toString(requests.pods()), Long.toString(Math.max(0, free.pods())));
        }
        for (Map.Entry<String, Long> e : requests.extended().entrySet()) {
            long has = free.extended(e.getKey());
            if (e.getValue() > has) {
                return insufficient(e.getKey(), e.getValue().toString(), Long.toString(Math.max(0, has)));
            }
        }
        return null;
    }

    private static String insufficient(String resource, String needs, String has) {
        return "insufficient " + resource + ": needs " + needs + ", node has " + has;
    }
}
