package io.archscaler.controlplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ControlPlane} runs beyond its fixed core: the kube-controller-manager's controllers,
 * how often its HPA controller syncs, and any extra kube-apiserver flags a test needs (a feature
 * gate, an admission plugin).
 *
 * @param controllers     the names passed to {@code kube-controller-manager --controllers}
 * @param apiServerFlags  flags appended to the kube-apiserver's command line
 * @param hpaSyncPeriod   {@code --horizontal-pod-autoscaler-sync-period}: how often the HPA controller reads metrics
 *                        and scales (Kubernetes' default is 15 s)
 */
public record ControlPlaneSettings(List<String> controllers, List<String> apiServerFlags, Duration hpaSyncPeriod) {
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
    }

    public static ControlPlaneSettings defaults() {
        return new ControlPlaneSettings(DEFAULT_CONTROLLERS, List.of(), DEFAULT_HPA_SYNC_PERIOD);
    }

    /** These settings with one more kube-apiserver flag, e.g. {@code --feature-gates=...}. */
    public ControlPlaneSettings withApiServerFlag(String flag) {
        List<String> flags = new ArrayList<>(apiServerFlags);
        flags.add(flag);
        return new ControlPlaneSettings(controllers, flags, hpaSyncPeriod);
    }

    /** These settings with another set of controllers. */
    public ControlPlaneSettings withControllers(List<String> names) {
        return new ControlPlaneSettings(names, apiServerFlags, hpaSyncPeriod);
    }
}
