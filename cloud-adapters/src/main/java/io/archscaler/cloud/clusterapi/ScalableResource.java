package io.archscaler.cloud.clusterapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A MachineDeployment or MachineSet that carries the autoscaler min/max annotations, as read
 * from the API: the facts the provider needs to size it and build its node template.
 *
 * @param replicas spec.replicas (an unset field reads 0, as the /scale subresource reports it)
 * @param infraRef spec.template.spec.infrastructureRef, or {@code null}
 */
record ScalableResource(String kind, String namespace, String name, String groupName, int minSize, int maxSize,
                        int replicas, String resourceVersion, Map<String, String> annotations,
                        Map<String, String> templateLabels, List<?> templateTaints, String failureDomain,
                        InfraRef infraRef, boolean ownedByDeployment) {

    /** The object named by spec.template.spec.infrastructureRef (a DockerMachineTemplate, AWSMachineTemplate, …). */
    record InfraRef(String apiVersion, String kind, String name) {
    }

    ScalableResource {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        templateLabels = templateLabels == null ? Map.of() : Map.copyOf(templateLabels);
        templateTaints = templateTaints == null ? List.of() : List.copyOf(templateTaints);
    }

    /** {@code <Kind> <namespace>/<name>}, for messages. */
    String describe() {
        return kind + " " + namespace + "/" + name;
    }

    /** The label its Machines carry with this resource's name. */
    String machineLabel() {
        return CapiKinds.MACHINE_SET.equals(kind) ? CapiKinds.SET_NAME_LABEL : CapiKinds.DEPLOYMENT_NAME_LABEL;
    }

    ScalableResource withReplicas(int count, String newResourceVersion) {
        return new ScalableResource(kind, namespace, name, groupName, minSize, maxSize, count, newResourceVersion,
                annotations, templateLabels, templateTaints, failureDomain, infraRef, ownedByDeployment);
    }

    /**
     * Reads a resource; empty when it lacks either size annotation (then it is not a node group,
     * as in the Cluster Autoscaler), an error naming the annotation when one cannot be read.
     */
    static Optional<ScalableResource> from(GenericKubernetesResource r, String groupName) throws InvalidGroupException {
        ObjectMeta meta = r.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        if (!annotations.containsKey(CapiKinds.MIN_SIZE) || !annotations.containsKey(CapiKinds.MAX_SIZE)) {
            return Optional.empty();
        }
        String what = r.getKind() + " " + meta.getNamespace() + "/" + meta.getName();
        int min = size(what, CapiKinds.MIN_SIZE, annotations.get(CapiKinds.MIN_SIZE));
        int max = size(what, CapiKinds.MAX_SIZE, annotations.get(CapiKinds.MAX_SIZE));
        if (max < min) {
            throw new InvalidGroupException(what + ": annotation " + CapiKinds.MAX_SIZE + " (" + max
                    + ") is below " + CapiKinds.MIN_SIZE + " (" + min + ")");
        }
        Object replicas = r.get("spec", "replicas");
        int count;
        if (replicas == null) {
            count = 0;
        } else if (replicas instanceof Number n) {
            count = n.intValue();
        } else {
            throw new InvalidGroupException(what + ": spec.replicas is not a number: " + replicas);
        }
        boolean owned = false;
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference o : meta.getOwnerReferences()) {
                owned |= CapiKinds.MACHINE_DEPLOYMENT.equals(o.getKind()) && o.getName() != null && !o.getName().isEmpty();
            }
        }
        return Optional.of(new ScalableResource(r.getKind(), meta.getNamespace(), meta.getName(), groupName, min, max,
                count, meta.getResourceVersion(), annotations,
                stringMap(r.get("spec", "template", "metadata", "labels")),
                r.get("spec", "template", "spec", "taints") instanceof List<?> l ? l : List.of(),
                r.get("spec", "template", "spec", "failureDomain") instanceof String s ? s : null,
                infraRef(r), owned));
    }

    private static int size(String what, String key, String value) throws InvalidGroupException {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 0) {
                throw new InvalidGroupException(what + ": annotation " + key + " must not be negative, was \"" + value + "\"");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidGroupException(what + ": annotation " + key + " must be a whole number, was \"" + value + "\"");
        }
    }

    private static InfraRef infraRef(GenericKubernetesResource r) {
        Object ref = r.get("spec", "template", "spec", "infrastructureRef");
        if (!(ref instanceof Map<?, ?> m)) {
            return null;
        }
        Object apiVersion = m.get("apiVersion");
        Object kind = m.get("kind");
        Object name = m.get("name");
        if (apiVersion instanceof String a && kind instanceof String k && name instanceof String n) {
            return new InfraRef(a, k, n);
        }
        return null;
    }

    private static Map<String, String> stringMap(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof String v) {
                out.put(k, v);
            }
        }
        return out;
    }
}
