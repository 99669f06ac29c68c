package io.archscaler.cloud.clusterapi;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Quantity;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a group's node template the way the Cluster Autoscaler's clusterapi provider does:
 * capacity from the {@code capacity.cluster-autoscaler.kubernetes.io/*} annotations over the
 * infrastructure template's {@code status.capacity}; labels from the template's managed labels
 * and the labels annotation; taints from {@code spec.template.spec.taints} and the taints
 * annotation ({@code key=value:NoSchedule,...}). Entries it cannot read are errors naming the
 * annotation, not silently dropped: a lost taint would send pods to nodes that repel them.
 */
final class CapacityAnnotations {
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    /** Label domains Cluster API propagates from the template's metadata to the Node. */
    private static final String NODE_ROLE = "node-role.kubernetes.io";
    private static final String NODE_RESTRICTION = "node-restriction.kubernetes.io";
    private static final String MANAGED_NODE = "node.cluster.x-k8s.io";

    private CapacityAnnotations() {
    }

    /** Whether the annotations alone cannot give the template (arch or cpu/memory missing). */
    static boolean needsInfrastructure(ScalableResource r) throws InvalidGroupException {
        return !labels(r).containsKey(NodeTemplate.ARCH_LABEL) || !hasText(r, CapiKinds.CPU) || !hasText(r, CapiKinds.MEMORY);
    }

    /**
     * The group's architecture: the {@code kubernetes.io/arch} of the labels annotation, else the
     * infrastructure template's {@code status.nodeInfo.architecture}, else the configured default.
     */
    static Arch arch(ScalableResource r, String infraArchitecture, Arch defaultArch) throws InvalidGroupException {
        String label = labels(r).get(NodeTemplate.ARCH_LABEL);
        if (label != null) {
            return Arch.fromLabel(label).orElseThrow(() -> new InvalidGroupException(r.describe() + ": annotation "
                    + CapiKinds.LABELS + " names architecture \"" + label + "\"; Archscaler schedules amd64 and arm64"));
        }
        if (infraArchitecture != null && !infraArchitecture.isBlank()) {
            return Arch.fromLabel(infraArchitecture).orElseThrow(() -> new InvalidGroupException(r.describe()
                    + ": infrastructure template " + r.infraRef().name() + " reports status.nodeInfo.architecture \""
                    + infraArchitecture + "\"; Archscaler schedules amd64 and arm64"));
        }
        return defaultArch;
    }

    /** Managed template labels, the zone of spec.template.spec.failureDomain, then the labels annotation over them. */
    static Map<String, String> labels(ScalableResource r) throws InvalidGroupException {
        Map<String, String> labels = new TreeMap<>();
        r.templateLabels().forEach((k, v) -> {
            if (isManagedLabel(k)) {
                labels.put(k, v);
            }
        });
        if (r.failureDomain() != null && !r.failureDomain().isBlank()) {
            labels.put(ZONE_LABEL, r.failureDomain());
        }
        String value = r.annotations().get(CapiKinds.LABELS);
        if (value != null) {
            for (String entry : value.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidGroupException(r.describe() + ": annotation " + CapiKinds.LABELS + ": entry \""
                            + e + "\" is not key=value");
                }
                labels.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
            }
        }
        return labels;
    }

    /** The template's spec taints, with annotation taints replacing those of the same key and effect. */
    static List<Taint> taints(ScalableResource r) throws InvalidGroupException {
        List<Taint> taints = new ArrayList<>();
        for (Object o : r.templateTaints()) {
            if (o instanceof Map<?, ?> m && m.get("key") instanceof String key && m.get("effect") instanceof String eff) {
                TaintEffect effect = TaintEffect.parse(eff).orElseThrow(() -> new InvalidGroupException(r.describe()
                        + ": spec.template.spec.taints: unknown effect \"" + eff + "\" for key " + key));
                taints.add(new Taint(key, m.get("value") instanceof String v ? v : "", effect));
            } else {
                throw new InvalidGroupException(r.describe() + ": spec.template.spec.taints: entry " + o
                        + " needs a key and an effect");
            }
        }
        String value = r.annotations().get(CapiKinds.TAINTS);
        if (value != null) {
            for (String entry : value.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                Taint t = parseTaint(r, e);
                taints.removeIf(old -> old.key().equals(t.key()) && old.effect() == t.effect());
                taints.add(t);
            }
        }
        return taints;
    }

    /**
     * Allocatable capacity: {@code status.capacity} of the infrastructure template, overridden by
     * the cpu, memory, ephemeral-disk, maxPods and gpu-type/gpu-count annotations; pods default to 110.
     */
    static Resources allocatable(ScalableResource r, Map<String, String> infraCapacity) throws InvalidGroupException {
        Map<String, String> list = new TreeMap<>(infraCapacity == null ? Map.of() : infraCapacity);
        put(r, list, "cpu", CapiKinds.CPU);
        put(r, list, "memory", CapiKinds.MEMORY);
        put(r, list, "ephemeral-storage", CapiKinds.EPHEMERAL_DISK);
        put(r, list, "pods", CapiKinds.MAX_PODS);
        String gpuType = r.annotations().get(CapiKinds.GPU_TYPE);
        if (gpuType != null && !gpuType.isBlank()) {
            put(r, list, gpuType.trim(), CapiKinds.GPU_COUNT);
        }
        list.putIfAbsent("pods", Long.toString(CapiKinds.DEFAULT_MAX_PODS));
        try {
            return Resources.parse(r.describe() + " infrastructure status.capacity", list);
        } catch (IllegalArgumentException e) {
            throw new InvalidGroupException(e.getMessage());
        }
    }

    static Optional<String> instanceType(Map<String, String> labels) {
        return Optional.ofNullable(labels.get(NodeTemplate.INSTANCE_TYPE_LABEL));
    }

    private static Taint parseTaint(ScalableResource r, String text) throws InvalidGroupException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new InvalidGroupException(r.describe() + ": annotation " + CapiKinds.TAINTS + ": \"" + text
                    + "\" is not key=value:Effect");
        }
        String keyValue = text.substring(0, colon);
        String effectText = text.substring(colon + 1).trim();
        TaintEffect effect = TaintEffect.parse(effectText).orElseThrow(() -> new InvalidGroupException(r.describe()
                + ": annotation " + CapiKinds.TAINTS + ": \"" + text + "\" has unknown effect \"" + effectText
                + "\" (use NoSchedule, PreferNoSchedule or NoExecute)"));
        int eq = keyValue.indexOf('=');
        String key = (eq < 0 ? keyValue : keyValue.substring(0, eq)).trim();
        String value = eq < 0 ? "" : keyValue.substring(eq + 1).trim();
        if (key.isEmpty() || value.contains("=")) {
            throw new InvalidGroupException(r.describe() + ": annotation " + CapiKinds.TAINTS + ": \"" + text
                    + "\" is not key=value:Effect");
        }
        return new Taint(key, value, effect);
    }

    private static void put(ScalableResource r, Map<String, String> list, String resource, String annotation)
            throws InvalidGroupException {
        String v = r.annotations().get(annotation);
        if (v != null && !v.isBlank()) {
            try {
                Quantity.parse(r.describe() + ": annotation " + annotation, v);
            } catch (IllegalArgumentException e) {
                throw new InvalidGroupException(e.getMessage());
            }
            list.put(resource, v.trim());
        }
    }

    private static boolean hasText(ScalableResource r, String annotation) {
        String v = r.annotations().get(annotation);
        return v != null && !v.isBlank();
    }

    private static boolean isManagedLabel(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = key.substring(0, slash);
        return domain.equals(NODE_ROLE)
                || domain.equals(NODE_RESTRICTION) || domain.endsWith("." + NODE_RESTRICTION)
                || domain.equals(MANAGED_NODE) || domain.endsWith("." + MANAGED_NODE);
    }
}
