package io.archscaler.testing;

import io.archscaler.controller.KubeModel;
import io.archscaler.controller.PodPhase;
import io.archscaler.scaler.TemplateFit;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the kube-scheduler in the sandbox, which has none: binds each unbound pod to a
 * ready node where it fits (the planner's own fit rules), preferring arm64 nodes as a cluster
 * with a preferred arm64 node affinity would, and marks the others
 * {@code PodScheduled=False, reason Unschedulable} so the autoscaler sees them.
 */
public final class SandboxScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxScheduler.class);

    private final KubernetesClient client;
    private final KubeModel model;
    private final Clock clock;
    private final Map<String, Duration> pendingToScheduled = new ConcurrentHashMap<>();

    public SandboxScheduler(KubernetesClient client, KubeModel model, Clock clock) {
        this.client = client;
        this.model = model;
        this.clock = clock;
    }

    /** One scheduling pass over every unbound pod; returns how many were bound. */
    public int schedulePass() {
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        List<io.fabric8.kubernetes.api.model.Node> kubeNodes = client.nodes().list().getItems();
        Map<String, Resources> requested = new HashMap<>();
        List<Pod> unbound = new ArrayList<>();
        for (Pod p : pods) {
            PodPhase.Kind kind = PodPhase.of(p);
            if (kind == PodPhase.Kind.SCHEDULED) {
                requested.merge(p.getSpec().getNodeName(), model.requests(p), Resources::plus);
            } else if (kind == PodPhase.Kind.PENDING || kind == PodPhase.Kind.WAITING_FOR_SCHEDULER) {
                unbound.add(p);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Node n : kubeNodes) {
            Node node = model.node(n, requested.getOrDefault(n.getMetadata().getName(), Resources.ZERO));
            if (node.ready() && !node.unschedulable()) {
                nodes.add(node);
            }
        }
        nodes.sort(Comparator.comparing((Node n) -> n.arch() == Arch.ARM64 ? 0 : 1).thenComparing(Node::name));
        unbound.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                : p.getMetadata().getCreationTimestamp()).thenComparing(p -> p.getMetadata().getName()));
        int bound = 0;
        for (Pod pod : unbound) {
            PendingPod pp = model.pendingPod(pod);
            int chosen = -1;
            for (int i = 0; i < nodes.size() && chosen < 0; i++) {
                if (TemplateFit.whyNot(pp, nodes.get(i)).isEmpty()) {
                    chosen = i;
                }
            }
            if (chosen >= 0) {
                Node n = nodes.get(chosen);
                bind(pod, n.name());
                nodes.set(chosen, new Node(n.name(), n.nodeGroup(), n.arch(), n.allocatable(),
                        n.requested().plus(pp.requests()), n.labels(), n.taints(), n.unschedulable(), n.ready(),
                        n.created()));
                bound++;
            } else if (!PodPhase.isUnschedulable(pod)) {
                markUnschedulable(pod, nodes.size());
            }
        }
        return bound;
    }

    /** How long each bound pod waited, from creation to binding, by {@code namespace/name}. */
    public Map<String, Duration> pendingToScheduled() {
        return Map.copyOf(pendingToScheduled);
    }

    private void bind(Pod pod, String nodeName) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Instant now = clock.instant();
        client.pods().inNamespace(ns).withName(name).edit(p -> {
            p.getSpec().setNodeName(nodeName);
            if (p.getStatus() == null) {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(new ArrayList<>(List.of(condition("True", null, null, now))));
            return p;
        });
        if (pod.getMetadata().getCreationTimestamp() != null) {
            pendingToScheduled.put(ns + "/" + name,
                    Duration.between(Instant.parse(pod.getMetadata().getCreationTimestamp()), now));
        }
        LOG.debug("bound {}/{} to {}", ns, name, nodeName);
    }

    private void markUnschedulable(Pod pod, int nodeCount) {
        Instant now = clock.instant();
        String message = "0/" + nodeCount + " nodes are available: no node has room or matches the pod's constraints.";
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).edit(p -> {
            if (p.getStatus() == null) {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            p.getStatus().setPhase("Pending");
            p.getStatus().setConditions(new ArrayList<>(List.of(condition("False", "Unschedulable", message, now))));
            return p;
        });
    }

    private static PodCondition condition(String status, String reason, String message, Instant at) {
        return new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(at.toString()).build();
    }
}
