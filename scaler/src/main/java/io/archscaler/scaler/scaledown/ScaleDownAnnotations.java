package io.archscaler.scaler.scaledown;

/**
 * The annotations and taint scale-down reads and writes. The annotations are the Cluster
 * Autoscaler's own, so a cluster that used it keeps its meaning.
 */
public final class ScaleDownAnnotations {
    /** On a pod: {@code "false"} keeps its node; {@code "true"} lets a bare, kube-system or local-storage pod move. */
    public static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";
    /** On a pod: comma-separated names of local volumes whose data may be lost. */
    public static final String SAFE_TO_EVICT_LOCAL_VOLUMES = "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes";
    /** On a node: {@code "true"} keeps the node whatever its load. */
    public static final String SCALE_DOWN_DISABLED = "cluster-autoscaler.kubernetes.io/scale-down-disabled";
    /**
     * On a pod or a node: {@code "true"} keeps it where it is, as Karpenter reads it, so a cluster
     * that used Karpenter keeps its meaning without relabelling.
     */
    public static final String DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";
    /** On a static pod's mirror: the kubelet runs it, so it neither counts nor moves. */
    public static final String MIRROR = "kubernetes.io/config.mirror";
    /** The NoSchedule taint put on a node being drained for removal. */
    public static final String TO_BE_DELETED_TAINT = "archscaler.io/to-be-deleted";
    /** Namespace whose pods need a PodDisruptionBudget to be moved. */
    public static final String KUBE_SYSTEM = "kube-system";

    private ScaleDownAnnotations() {
    }
}
