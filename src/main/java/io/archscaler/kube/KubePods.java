package io.archscaler.kube;

import io.archscaler.scaler.PodRequests;
import io.archscaler.scaler.model.InitContainer;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.model.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Translates fabric8 Pods into the planner's {@link PendingPod}, and classifies them. Pure: no I/O. */
public final class KubePods {
    public static final String DAEMON_SET = "DaemonSet";

    private KubePods() {
    }

    /** The pod reduced to what scheduling depends on; image architectures are left unknown. */
    public static PendingPod toPendingPod(Pod pod) {
        PodSpec spec = spec(pod);
        return new PendingPod(namespace(pod), name(pod), requests(pod), spec.getNodeSelector(),
                requiredAffinity(spec), tolerations(pod, spec), null, ownerKey(pod));
    }

    /**
     * Effective requests: containers summed, init containers by the max rule with sidecars,
     * pod-level requests where set, plus overhead; {@code pods} is 1. A resource with a limit
     * but no request requests its limit, as the API server defaults it.
     */
    public static Resources requests(Pod pod) {
        return requests(describe(pod), spec(pod));
    }

    /** The same for a pod spec (a workload's template); {@code object} names it in errors. */
    public static Resources requests(String object, PodSpec spec) {
        List<Resources> containers = new ArrayList<>();
        for (Container c : nullToEmpty(spec.getContainers())) {
            containers.add(containerRequests(object, "spec.containers[" + c.getName() + "]", c.getResources()));
        }
        List<InitContainer> inits = new ArrayList<>();
        for (Container c : nullToEmpty(spec.getInitContainers())) {
            inits.add(new InitContainer(containerRequests(object, "spec.initContainers[" + c.getName() + "]",
                    c.getResources()), "Always".equals(c.getRestartPolicy())));
        }
        Resources overhead = Quantities.parse(object, "spec.overhead", Quantities.texts(spec.getOverhead()));
        Map<String, String> podLevel = requestsOrLimits(spec.getResources());
        if (podLevel.isEmpty()) {
            return PodRequests.effective(containers, inits, overhead);
        }
        // pod-level resources (KEP-2837) replace the containers' sum for the resources they name
        Resources fromContainers = PodRequests.effective(containers, inits, Resources.ZERO);
        Resources whole = Quantities.parse(object, "spec.resources.requests", podLevel);
        Map<String, Long> extended = new TreeMap<>(fromContainers.extended());
        extended.putAll(whole.extended());
        Resources merged = new Resources(
                podLevel.containsKey("cpu") ? whole.cpuMillis() : fromContainers.cpuMillis(),
                podLevel.containsKey("memory") ? whole.memoryBytes() : fromContainers.memoryBytes(),
                podLevel.containsKey("ephemeral-storage") ? whole.ephemeralStorageBytes()
                        : fromContainers.ephemeralStorageBytes(),
                1, extended);
        return merged.plus(overhead).withPods(1);
    }

    /** {@code Kind/name} of the controlling owner, or null for a bare pod. */
    public static String ownerKey(Pod pod) {
        return controller(pod).map(o -> o.getKind() + "/" + o.getName()).orElse(null);
    }

    public static boolean ownedByDaemonSet(Pod pod) {
        return controller(pod).map(o -> DAEMON_SET.equals(o.getKind())).orElse(false);
    }

    /** Waiting for a node: phase Pending and not bound. */
    public static boolean isPending(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Pending".equals(phase) && isBlank(spec(pod).getNodeName());
    }

    /** Bound to a node and not finished, so its requests hold room on that node. */
    public static boolean isBoundAndActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !isBlank(spec(pod).getNodeName()) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /**
     * One pod template per DaemonSet, taken from the pods it owns (the first by namespace/name,
     * so the answer does not depend on order); the node pinning the controller adds is dropped.
     */
    public static List<PendingPod> daemonSetTemplates(Collection<Pod> pods) {
        Map<String, Pod> byOwner = new LinkedHashMap<>();
        pods.stream()
                .filter(KubePods::ownedByDaemonSet)
                .sorted(Comparator.comparing(KubePods::namespace).thenComparing(KubePods::name))
                .forEach(p -> byOwner.putIfAbsent(namespace(p) + "/" + ownerKey(p), p));
        return byOwner.values().stream().map(KubePods::toPendingPod).map(KubePods::unpinned).toList();
    }

    /**
     * The DaemonSet's own template: the controller pins each pod by putting a matchFields
     * {@code metadata.name} on every term (or a term of its own when there was none), so the
     * fields go and a term left with nothing goes with them.
     */
    private static PendingPod unpinned(PendingPod pod) {
        List<NodeSelectorTerm> terms = pod.requiredAffinity().stream()
                .filter(t -> !t.matchExpressions().isEmpty())
                .map(t -> new NodeSelectorTerm(t.matchExpressions()))
                .toList();
        return new PendingPod(pod.namespace(), pod.name(), pod.requests(), pod.nodeSelector(), terms,
                pod.tolerations(), pod.imageArchs(), pod.ownerKey());
    }

    private static Resources containerRequests(String object, String field, ResourceRequirements r) {
        return Quantities.parse(object, field + ".resources.requests", requestsOrLimits(r));
    }

    private static Map<String, String> requestsOrLimits(ResourceRequirements r) {
        Map<String, String> out = new LinkedHashMap<>();
        if (r != null) {
            out.putAll(Quantities.texts(r.getLimits()));
            out.putAll(Quantities.texts(r.getRequests()));
        }
        return out;
    }

    /**
     * Required node affinity terms with their matchExpressions and matchFields (the DaemonSet
     * controller pins its pods to a node by {@code metadata.name}; the planner matches that
     * against registered nodes' names, and a new node, whose name is not known yet, never has it).
     */
    public static List<NodeSelectorTerm> requiredAffinity(PodSpec spec) {
        NodeAffinity na = spec.getAffinity() == null ? null : spec.getAffinity().getNodeAffinity();
        NodeSelector required = na == null ? null : na.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            return List.of();
        }
        List<NodeSelectorTerm> terms = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.NodeSelectorTerm t : nullToEmpty(required.getNodeSelectorTerms())) {
            if (t != null) {
                terms.add(new NodeSelectorTerm(requirements(t.getMatchExpressions()), requirements(t.getMatchFields())));
            }
        }
        return terms;
    }

    private static List<NodeSelectorRequirement> requirements(List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> in) {
        List<NodeSelectorRequirement> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.NodeSelectorRequirement r : nullToEmpty(in)) {
            if (r != null) {
                out.add(new NodeSelectorRequirement(r.getKey(), r.getOperator(), r.getValues()));
            }
        }
        return out;
    }

    private static List<Toleration> tolerations(Pod pod, PodSpec spec) {
        List<Toleration> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Toleration t : nullToEmpty(spec.getTolerations())) {
            TaintEffect effect = null;
            if (!isBlank(t.getEffect())) {
                effect = TaintEffect.parse(t.getEffect()).orElseThrow(() -> new KubeTranslationException(
                        describe(pod) + ": spec.tolerations: unknown effect \"" + t.getEffect()
                                + "\" (expected NoSchedule, PreferNoSchedule or NoExecute)"));
            }
            out.add(new Toleration(t.getKey(), t.getOperator(), t.getValue(), effect));
        }
        return out;
    }

    private static Optional<OwnerReference> controller(Pod pod) {
        if (pod.getMetadata() == null) {
            return Optional.empty();
        }
        return nullToEmpty(pod.getMetadata().getOwnerReferences()).stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }

    private static PodSpec spec(Pod pod) {
        if (pod.getSpec() == null) {
            throw new KubeTranslationException(describe(pod) + ": spec: missing");
        }
        return pod.getSpec();
    }

    static String namespace(Pod pod) {
        String ns = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
        return isBlank(ns) ? "default" : ns;
    }

    static String name(Pod pod) {
        String name = pod.getMetadata() == null ? null : pod.getMetadata().getName();
        if (isBlank(name)) {
            throw new KubeTranslationException("a pod has no metadata.name");
        }
        return name;
    }

    /** {@code pod namespace/name}, the way errors name a pod. */
    static String describe(Pod pod) {
        return "pod " + namespace(pod) + "/" + name(pod);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The list's entries without nulls (a YAML list may hold a bare {@code -}); empty for a null list. */
    static <T> List<T> nullToEmpty(List<T> list) {
        if (list == null) {
            return List.of();
        }
        // List.of(...).contains(null) throws, so look for nulls by hand
        boolean hasNull = false;
        for (T t : list) {
            hasNull |= t == null;
        }
        if (!hasNull) {
            return list;
        }
        List<T> present = new ArrayList<>(list.size());
        for (T t : list) {
            if (t != null) {
                present.add(t);
            }
        }
        return present;
    }
}
