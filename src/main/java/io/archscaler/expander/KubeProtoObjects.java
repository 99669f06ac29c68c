package io.archscaler.expander;

import io.archscaler.expander.kube.Container;
import io.archscaler.expander.kube.NodeSelectorRequirement;
import io.archscaler.expander.kube.NodeSelectorTerm;
import io.archscaler.expander.kube.ObjectMeta;
import io.archscaler.expander.kube.Quantity;
import io.archscaler.expander.kube.ResourceRequirements;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' protobuf Pod and Node (the subset in kube_subset.proto) as fabric8 objects, so the
 * expander reads them with the same translation ({@code KubePods}, {@code KubeNodes}) and image
 * lookups ({@code PodImageArchs}) as the rest of Archscaler. Absent proto2 fields stay null.
 */
final class KubeProtoObjects {
    private KubeProtoObjects() {
    }

    static Pod pod(io.archscaler.expander.kube.Pod p) {
        io.archscaler.expander.kube.PodSpec s = p.getSpec();
        PodSpecBuilder spec = new PodSpecBuilder()
                .withContainers(s.getContainersList().stream().map(KubeProtoObjects::container).toList())
                .withInitContainers(s.getInitContainersList().stream().map(KubeProtoObjects::container).toList())
                .withImagePullSecrets(s.getImagePullSecretsList().stream()
                        .map(r -> new io.fabric8.kubernetes.api.model.LocalObjectReference(r.getName())).toList())
                .withNodeSelector(s.getNodeSelectorMap().isEmpty() ? null : new LinkedHashMap<>(s.getNodeSelectorMap()))
                .withTolerations(s.getTolerationsList().stream().map(t -> new TolerationBuilder()
                        .withKey(t.hasKey() ? t.getKey() : null).withOperator(t.hasOperator() ? t.getOperator() : null)
                        .withValue(t.hasValue() ? t.getValue() : null).withEffect(t.hasEffect() ? t.getEffect() : null)
                        .withTolerationSeconds(t.hasTolerationSeconds() ? t.getTolerationSeconds() : null).build()).toList());
        if (!s.getOverheadMap().isEmpty()) {
            spec.withOverhead(quantities(s.getOverheadMap()));
        }
        if (s.hasResources()) {
            spec.withResources(resources(s.getResources()));
        }
        if (s.hasAffinity() && s.getAffinity().getNodeAffinity().hasRequiredDuringSchedulingIgnoredDuringExecution()) {
            List<NodeSelectorTerm> terms = s.getAffinity().getNodeAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTermsList();
            spec.withAffinity(new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(terms.stream().map(KubeProtoObjects::term).toList())
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        }
        return new PodBuilder().withMetadata(meta(p.getMetadata())).withSpec(spec.build()).build();
    }

    static Node node(io.archscaler.expander.kube.Node n) {
        NodeBuilder node = new NodeBuilder().withMetadata(meta(n.getMetadata()));
        node.withNewSpec().withTaints(n.getSpec().getTaintsList().stream().map(t -> new TaintBuilder()
                .withKey(t.hasKey() ? t.getKey() : null).withValue(t.hasValue() ? t.getValue() : null)
                .withEffect(t.hasEffect() ? t.getEffect() : null).build()).toList()).endSpec();
        // a template node carries allocatable; where CA left it out, capacity is the best guess of it
        Map<String, Quantity> allocatable = n.getStatus().getAllocatableMap().isEmpty()
                ? n.getStatus().getCapacityMap() : n.getStatus().getAllocatableMap();
        node.withNewStatus().withCapacity(quantities(n.getStatus().getCapacityMap()))
                .withAllocatable(quantities(allocatable)).endStatus();
        return node.build();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(ObjectMeta m) {
        return new ObjectMetaBuilder().withName(m.hasName() ? m.getName() : null)
                .withGenerateName(m.hasGenerateName() ? m.getGenerateName() : null)
                .withNamespace(m.hasNamespace() ? m.getNamespace() : null)
                .withLabels(m.getLabelsMap().isEmpty() ? null : new LinkedHashMap<>(m.getLabelsMap()))
                .withAnnotations(m.getAnnotationsMap().isEmpty() ? null : new LinkedHashMap<>(m.getAnnotationsMap()))
                .withOwnerReferences(m.getOwnerReferencesList().stream().map(o -> new OwnerReferenceBuilder()
                        .withKind(o.getKind()).withName(o.getName()).withController(o.hasController() ? o.getController() : null)
                        .build()).toList())
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Container container(Container c) {
        ContainerBuilder b = new ContainerBuilder().withName(c.hasName() ? c.getName() : null)
                .withImage(c.hasImage() ? c.getImage() : null)
                .withRestartPolicy(c.hasRestartPolicy() ? c.getRestartPolicy() : null);
        if (c.hasResources()) {
            b.withResources(resources(c.getResources()));
        }
        return b.build();
    }

    private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(ResourceRequirements r) {
        return new ResourceRequirementsBuilder().withRequests(quantities(r.getRequestsMap()))
                .withLimits(quantities(r.getLimitsMap())).build();
    }

    private static io.fabric8.kubernetes.api.model.NodeSelectorTerm term(NodeSelectorTerm t) {
        return new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder()
                .withMatchExpressions(t.getMatchExpressionsList().stream().map(KubeProtoObjects::requirement).toList())
                .withMatchFields(t.getMatchFieldsList().stream().map(KubeProtoObjects::requirement).toList())
                .build();
    }

    private static io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement(NodeSelectorRequirement r) {
        return new io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder().withKey(r.getKey())
                .withOperator(r.getOperator()).withValues(List.copyOf(r.getValuesList())).build();
    }

    private static Map<String, io.fabric8.kubernetes.api.model.Quantity> quantities(Map<String, Quantity> in) {
        Map<String, io.fabric8.kubernetes.api.model.Quantity> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, new io.fabric8.kubernetes.api.model.Quantity(v.getString())));
        return out;
    }
}
