package io.archscaler.controller;

import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.Optional;

/** Translates Kubernetes objects into the planner's model; an adapter over the kube package. */
public interface KubeModel {
    /** The pod as the planner sees it; throws IllegalArgumentException for unreadable requests. */
    PendingPod pendingPod(Pod pod);

    /** The pod's effective requests (pods = 1). */
    Resources requests(Pod pod);

    /** The node with what its pods request; {@code nodeGroup} null when no managed group owns it. */
    io.archscaler.scaler.model.Node node(Node node, Resources requested);

    /** The node's architecture, from its label or its nodeInfo. */
    Optional<io.archscaler.scaler.model.Arch> arch(Node node);

    /** The node group a node belongs to, by its labels. */
    Optional<String> nodeGroup(Node node);

    /** The pod template a DaemonSet would run on each new node. */
    Optional<PendingPod> daemonSetPod(DaemonSet daemonSet);
}
