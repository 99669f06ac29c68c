package io.archscaler.controller;

import io.archscaler.kube.KubeScaleDown;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.DisruptionBudget;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.ScaleDownInput;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What scale-down and restores read of the cluster's workloads (nodes, the pods bound to them, the
 * PodDisruptionBudgets, what the bound pods' images support), copied on the scaler verticle's
 * context so that {@link #toInput} can translate it off the event loop: the one translation both
 * loops use.
 */
record WorkloadCopy(List<io.archscaler.scaler.model.Node> nodes, Map<String, Node> kubeNodes,
                    Map<String, List<Pod>> podsByNode, List<PodDisruptionBudget> pdbs,
                    Map<String, Set<Arch>> imageArchs) {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadCopy.class);

    /** Copies the cluster view as it is now; call on the verticle's context. */
    static WorkloadCopy of(ClusterState state) {
        return new WorkloadCopy(state.modelNodes(), new TreeMap<>(state.nodes()), state.podsByNode(),
                new ArrayList<>(state.pdbs().values()), state.boundImageArchs());
    }

    /**
     * Scale-down's input: every node with its pods (what their images support where it is known),
     * the budgets, and the history given. A node whose pods cannot be read is left out: neither
     * removed, moved nor counted as room.
     */
    ScaleDownInput toInput(List<NodeGroup> groups, Map<String, Instant> lastScaleUp, Map<String, Instant> failedAt) {
        List<NodeWithPods> out = new ArrayList<>();
        for (io.archscaler.scaler.model.Node n : nodes) {
            try {
                NodeWithPods w = KubeScaleDown.nodeWithPods(n, kubeNodes.get(n.name()),
                        podsByNode.getOrDefault(n.name(), List.of()));
                out.add(imageArchs.isEmpty() ? w : new NodeWithPods(w.node(), w.annotations(), withImages(w.pods())));
            } catch (RuntimeException e) {
                LOG.warn("node {} left out of scale-down and restores: {}", n.name(), e.getMessage());
            }
        }
        List<DisruptionBudget> budgets = pdbs.stream().map(KubeScaleDown::budget).toList();
        return new ScaleDownInput(groups, out, budgets, lastScaleUp, failedAt);
    }

    private List<BoundPod> withImages(List<BoundPod> pods) {
        List<BoundPod> out = new ArrayList<>(pods.size());
        for (BoundPod b : pods) {
            Set<Arch> archs = imageArchs.get(b.pod().key());
            out.add(archs == null ? b : new BoundPod(b.pod().withImageArchs(archs), b.labels(), b.annotations(),
                    b.daemonSet(), b.localVolumes()));
        }
        return out;
    }
}
