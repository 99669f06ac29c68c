package io.archscaler.cloud.clusterapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cluster API objects as a management cluster holds them, built as generic resources for the mock API server. */
final class CapiObjects {
    static final String CAPI = "cluster.x-k8s.io/v1beta1";
    static final String INFRA = "infrastructure.cluster.x-k8s.io/v1beta1";

    private CapiObjects() {
    }

    /** A MachineDeployment of cluster "edge" whose Machines use the named DockerMachineTemplate. */
    static GenericKubernetesResource machineDeployment(String ns, String name, Integer replicas,
                                                       Map<String, String> annotations, String infraTemplate) {
        return scalable("MachineDeployment", ns, name, replicas, annotations, infraTemplate);
    }

    static GenericKubernetesResource scalable(String kind, String ns, String name, Integer replicas,
                                              Map<String, String> annotations, String infraTemplate) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterName", "edge");
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        spec.put("selector", Map.of("matchLabels", Map.of("cluster.x-k8s.io/cluster-name", "edge")));
        Map<String, Object> templateSpec = new LinkedHashMap<>();
        templateSpec.put("clusterName", "edge");
        templateSpec.put("version", "v1.31.2");
        templateSpec.put("bootstrap", Map.of("configRef", Map.of("apiVersion", "bootstrap.cluster.x-k8s.io/v1beta1",
                "kind", "KubeadmConfigTemplate", "name", name + "-bootstrap")));
        if (infraTemplate != null) {
            templateSpec.put("infrastructureRef", Map.of("apiVersion", INFRA, "kind", "DockerMachineTemplate",
                    "name", infraTemplate));
        }
        spec.put("template", Map.of(
                "metadata", Map.of("labels", Map.of("cluster.x-k8s.io/cluster-name", "edge",
                        "node-role.kubernetes.io/worker", "", "app.example.com/not-propagated", "x")),
                "spec", templateSpec));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(CAPI).withKind(kind)
                .withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /** A MachineSet created by a MachineDeployment (owner reference), as the MachineDeployment controller makes them. */
    static GenericKubernetesResource ownedMachineSet(String ns, String name, String deployment, int replicas,
                                                     Map<String, String> annotations) {
        GenericKubernetesResource ms = scalable("MachineSet", ns, name, replicas, annotations, null);
        ms.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(CAPI)
                .withKind("MachineDeployment").withName(deployment).withUid("uid-" + deployment).build()));
        return ms;
    }

    /** A Machine of a MachineDeployment; nodeName and providerId may be null while it is provisioning. */
    static GenericKubernetesResource machine(String ns, String name, String deployment, String nodeName,
                                             String providerId, String phase) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterName", "edge");
        if (providerId != null) {
            spec.put("providerID", providerId);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        if (nodeName != null) {
            status.put("nodeRef", Map.of("apiVersion", "v1", "kind", "Node", "name", nodeName));
        }
        status.put("phase", phase);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(CAPI).withKind("Machine")
                .withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("cluster.x-k8s.io/cluster-name", "edge",
                        "cluster.x-k8s.io/deployment-name", deployment,
                        "cluster.x-k8s.io/set-name", deployment + "-7d9f8"))
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .addToAdditionalProperties("status", status)
                .build();
    }

    /** A DockerMachineTemplate whose status reports what its machines will be (opt-in scale from zero). */
    static GenericKubernetesResource dockerMachineTemplate(String ns, String name, String architecture,
                                                           Map<String, String> capacity) {
        Map<String, Object> status = new LinkedHashMap<>();
        if (architecture != null) {
            status.put("nodeInfo", Map.of("architecture", architecture, "operatingSystem", "linux"));
        }
        if (capacity != null) {
            status.put("capacity", capacity);
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(INFRA).withKind("DockerMachineTemplate")
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("template", Map.of("spec", Map.of("customImage",
                        "kindest/node:v1.31.2"))))
                .addToAdditionalProperties("status", status)
                .build();
    }

    static Map<String, String> sizes(int min, int max) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size", Integer.toString(min));
        a.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size", Integer.toString(max));
        return a;
    }

    static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> a = new LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            a.put(keyValues[i], keyValues[i + 1]);
        }
        return a;
    }
}
