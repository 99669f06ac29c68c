package io.archscaler.controller;

import io.archscaler.kube.KubeNodes;
import io.archscaler.kube.KubePods;
import io.archscaler.kube.KubeTranslationException;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.Optional;

/** The controller's {@link KubeModel}, backed by the kube package's translations. */
public final class KubeTranslation implements KubeModel {
    private final NodeGroupMembership membership;

    public KubeTranslation(NodeGroupMembership membership) {
        this.membership = membership;
    }

    @Override
    public PendingPod pendingPod(Pod pod) {
        try {
            return KubePods.toPendingPod(pod);
        } catch (KubeTranslationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Resources requests(Pod pod) {
        try {
            return KubePods.requests(pod);
        } catch (KubeTranslationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public io.archscaler.scaler.model.Node node(Node node, Resources requested) {
        return KubeNodes.toNode(node, membership, requested);
    }

    @Override
    public Optional<io.archscaler.scaler.model.Arch> arch(Node node) {
        return KubeNodes.arch(node);
    }

    @Override
    public Optional<String> nodeGroup(Node node) {
        return node.getMetadata() == null ? Optional.empty() : membership.groupOf(node.getMetadata().getLabels());
    }

    @Override
    public Optional<PendingPod> daemonSetPod(DaemonSet ds) {
        if (ds.getSpec() == null || ds.getSpec().getTemplate() == null || ds.getSpec().getTemplate().getSpec() == null) {
            return Optional.empty();
        }
        Pod pod = new PodBuilder()
                .withNewMetadata().withNamespace(ds.getMetadata().getNamespace())
                .withName(ds.getMetadata().getName()).endMetadata()
                .withSpec(ds.getSpec().getTemplate().getSpec()).build();
        try {
            return Optional.of(KubePods.toPendingPod(pod));
        } catch (RuntimeException e) {
            // a DaemonSet whose template cannot be read reserves nothing rather than stopping planning
            return Optional.empty();
        }
    }
}
