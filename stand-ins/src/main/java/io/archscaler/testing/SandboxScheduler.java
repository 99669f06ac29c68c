package io.archscaler.testing;

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
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A stand-in for the kube-scheduler in the sandbox, which has none: binds each unbound pod to a
 * ready node where it fits (the planner's own fit rules), preferring arm64 nodes as a cluster
 * with a preferred arm64 node affinity would, and marks the others
 * {@code PodScheduled=False, reason Unschedulable} so the autoscaler sees them.
 */
public final class SandboxScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxScheduler.class);

    private final KubernetesClient client;
    private final Translation model;
    private final Clock clock;
    private final Map<String, Duration> pendingToScheduled = new ConcurrentHashMap<>();

    /**
     * How the scheduler reads pods and nodes into the planner's model: the product's own
     * translation (its {@code KubeModel}), handed in because this module cannot depend on the
     * product, so that the scheduler and the planner agree on what fits where.
     */
    public record Translation(Function<Pod, PendingPod> pendingPod, Function<Pod, Resources> requests,
                              BiFunction<io.fabric8.kubernetes.api.model.Node, Resources, Node> node) {
    }

    public SandboxScheduler(KubernetesClient client, Translation model, Clock clock) {
        this.client = client;
        this.model = model;
        this.clock = clock;
    }

    /**
     * One scheduling pass over every unbound pod; returns how many were bound. Passes run one at a
     * time, as kube-scheduler places one pod at a time, so two never fill the same room.
     */
    public synchronized int schedulePass() {
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        List<io.fabric8.kubernetes.api.model.Node> kubeNodes = client.nodes().list().getItems();
        Map<String, Resources> requested = new HashMap<>();
        List<Pod> unbound = new ArrayList<>();
        for (Pod p : pods) {
            if (finished(p)) {
                continue;
            }
            String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (nodeName != null && !nodeName.isEmpty()) {
                requested.merge(nodeName, model.requests().apply(p), Resources::plus);
            } else {
                unbound.add(p);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Node n : kubeNodes) {
            Node node = model.node().apply(n, requested.getOrDefault(n.getMetadata().getName(), Resources.ZERO));
            if (node.ready() && !node.unschedulable()) {
                nodes.add(node);
            }
        }
        nodes.sort(Comparator.comparing((Node n) -> n.arch() == Arch.ARM64 ? 0 : 1).thenComparing(Node::name));
        unbound.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                : p.getMetadata().getCreationTimestamp()).thenComparing(p -> p.getMetadata().getName()));
        int bound = 0;
        for (Pod pod : unbound) {
            PendingPod pp = model.pendingPod().apply(pod);
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
            } else if (!markedUnschedulable(pod)) {
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

    /** Succeeded, failed or being deleted: holds no room and waits for no node. */
    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Already told Unschedulable by this scheduler, which says it once, as kube-scheduler does until something changes. */
    private static boolean markedUnschedulable(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
    }

    private static PodCondition condition(String status, String reason, String message, Instant at) {
        return new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(at.toString()).build();
    }
}
