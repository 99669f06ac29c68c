package io.archscaler.controlplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ControlPlane} runs beyond its fixed core: the kube-controller-manager's controllers,
 * how often its HPA controller syncs, and any extra kube-apiserver flags a test needs (a feature
 * gate, an admission plugin).
 *
 * @param controllers     the names passed to {@code kube-controller-manager --controllers}
 * @param apiServerFlags  flags appended to the kube-apiserver's command line
 * @param hpaSyncPeriod   {@code --horizontal-pod-autoscaler-sync-period}: how often the HPA controller reads metrics
 *                        and scales (Kubernetes' default is 15 s)
 * @param componentFlags  flags appended to another component's command line, by its name ({@code kube-scheduler},
 *                        {@code kube-controller-manager}): what an operator tunes for a large cluster, e.g. the
 *                        components' client QPS
 */
public record ControlPlaneSettings(List<String> controllers, List<String> apiServerFlags, Duration hpaSyncPeriod,
                                   Map<String, List<String>> componentFlags) {
    /**
     * The controllers Archscaler's scenarios rely on: Deployments and ReplicaSets make pods, the
     * disruption controller computes PodDisruptionBudgets' status, the garbage collector and the
     * namespace controller clean up, the HPA controller reads HPAs, DaemonSets put pods on new nodes,
     * pod GC removes pods of deleted nodes, the node lifecycle controller lifts the not-ready taint
     * the API server puts on every new Node once kwok reports it Ready (and evicts from Nodes that
     * stop heartbeating), and the service-account controllers give each namespace its default
     * ServiceAccount (which pod admission waits for) and its root CA ConfigMap.
     */
    public static final List<String> DEFAULT_CONTROLLERS = List.of("deployment-controller", "replicaset-controller",
            "disruption-controller", "garbage-collector-controller", "horizontal-pod-autoscaler-controller",
            "daemonset-controller", "pod-garbage-collector-controller", "node-lifecycle-controller", "namespace-controller",
            "serviceaccount-controller", "serviceaccount-token-controller", "root-ca-certificate-publisher-controller");

    /**
     * Shorter than Kubernetes' 15 s, so a test sees the HPA act within seconds; still longer than the
     * 1 s a test's Prometheus scrapes at, so the HPA reads metrics less often than they change, as in a
     * cluster.
     */
    public static final Duration DEFAULT_HPA_SYNC_PERIOD = Duration.ofSeconds(5);

    public ControlPlaneSettings {
        controllers = List.copyOf(controllers);
        apiServerFlags = List.copyOf(apiServerFlags);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        componentFlags.forEach((component, flags) -> copy.put(component, List.copyOf(flags)));
        componentFlags = java.util.Collections.unmodifiableMap(copy);
    }

    /** Settings that add no flags to the other components. */
    public ControlPlaneSettings(List<String> controllers, List<String> apiServerFlags, Duration hpaSyncPeriod) {
        this(controllers, apiServerFlags, hpaSyncPeriod, Map.of());
    }

    public static ControlPlaneSettings defaults() {
        return new ControlPlaneSettings(DEFAULT_CONTROLLERS, List.of(), DEFAULT_HPA_SYNC_PERIOD);
    }

    /** The extra flags of {@code component} ({@code kube-scheduler}, {@code kube-controller-manager}); empty when none. */
    public List<String> flagsOf(String component) {
        return componentFlags.getOrDefault(component, List.of());
    }

    /** These settings with one more flag for {@code component}, e.g. kube-scheduler's {@code --kube-api-qps=500}. */
    public ControlPlaneSettings withComponentFlag(String component, String flag) {
        Map<String, List<String>> flags = new LinkedHashMap<>(componentFlags);
        List<String> list = new ArrayList<>(flagsOf(component));
        list.add(flag);
        flags.put(component, list);
        return new ControlPlaneSettings(controllers, apiServerFlags, hpaSyncPeriod, flags);
    }

    /** These settings with one more kube-apiserver flag, e.g. {@code --feature-gates=...}. */
    public ControlPlaneSettings withApiServerFlag(String flag) {
        List<String> flags = new ArrayList<>(apiServerFlags);
        flags.add(flag);
        return new ControlPlaneSettings(controllers, flags, hpaSyncPeriod, componentFlags);
    }

    /** These settings with another set of controllers. */
    public ControlPlaneSettings withControllers(List<String> names) {
        return new ControlPlaneSettings(names, apiServerFlags, hpaSyncPeriod, componentFlags);
    }
}
