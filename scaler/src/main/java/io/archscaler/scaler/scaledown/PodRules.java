package io.archscaler.scaler.scaledown;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a pod may be evicted, or a node drained, by the Cluster Autoscaler's rules and
 * Karpenter's {@code do-not-disrupt}: an explicit {@code safe-to-evict: "false"} or
 * {@code do-not-disrupt: "true"} always keeps it; {@code safe-to-evict: "true"} lets a bare,
 * kube-system or local-storage pod go. PodDisruptionBudgets are checked apart
 * ({@link DisruptionLedger}), since they are shared. Scale-down and the restore planner both ask here.
 */
public final class PodRules {
    /** Why a pod (or a node) keeps its node. */
    public record Blocked(UnremovableReason reason, String detail) {
    }

    private PodRules() {
    }

    /** Null when the node's own annotations let it be drained, else why not. */
    public static Blocked checkNode(NodeWithPods n) {
        if ("true".equals(n.annotations().get(ScaleDownAnnotations.SCALE_DOWN_DISABLED))) {
            return new Blocked(UnremovableReason.SCALE_DOWN_DISABLED,
                    "node is annotated " + ScaleDownAnnotations.SCALE_DOWN_DISABLED + ": \"true\"");
        }
        if ("true".equals(n.annotations().get(ScaleDownAnnotations.DO_NOT_DISRUPT))) {
            return new Blocked(UnremovableReason.DO_NOT_DISRUPT,
                    "node is annotated " + ScaleDownAnnotations.DO_NOT_DISRUPT + ": \"true\"");
        }
        return null;
    }

    /** The first pod (in the given order) that may not be evicted, as why; null when all may. */
    public static Blocked checkPods(List<BoundPod> pods, List<DisruptionBudget> budgets) {
        for (BoundPod p : pods) {
            Blocked b = check(p, anyBudgetCovers(p, budgets));
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    /** Null when the pod may be evicted; {@code coveredByBudget} says whether some PDB selects it. */
    static Blocked check(BoundPod p, boolean coveredByBudget) {
        if ("true".equals(p.annotations().get(ScaleDownAnnotations.DO_NOT_DISRUPT))) {
            return new Blocked(UnremovableReason.DO_NOT_DISRUPT,
                    "pod " + p.key() + " is annotated " + ScaleDownAnnotations.DO_NOT_DISRUPT + ": \"true\"");
        }
        String safe = p.annotations().get(ScaleDownAnnotations.SAFE_TO_EVICT);
        if ("false".equals(safe)) {
            return new Blocked(UnremovableReason.NOT_SAFE_TO_EVICT,
                    "pod " + p.key() + " is annotated " + ScaleDownAnnotations.SAFE_TO_EVICT + ": \"false\"");
        }
        if ("true".equals(safe)) {
            return null;
        }
        if (p.pod().ownerKey() == null) {
            return new Blocked(UnremovableReason.NOT_REPLICATED,
                    "pod " + p.key() + " has no controller, so nothing would recreate it");
        }
        if (ScaleDownAnnotations.KUBE_SYSTEM.equals(p.pod().namespace()) && !coveredByBudget) {
            return new Blocked(UnremovableReason.KUBE_SYSTEM_POD,
                    "pod " + p.key() + " is in kube-system and no PodDisruptionBudget covers it");
        }
        String volume = unsafeLocalVolume(p);
        if (volume != null) {
            return new Blocked(UnremovableReason.LOCAL_STORAGE, "pod " + p.key() + " keeps data on the node in "
                    + p.localVolumes().get(volume) + " volume " + volume);
        }
        return null;
    }

    /** The first local volume (by name) not listed as safe to lose, or null. */
    private static String unsafeLocalVolume(BoundPod p) {
        String listed = p.annotations().getOrDefault(ScaleDownAnnotations.SAFE_TO_EVICT_LOCAL_VOLUMES, "");
        Set<String> safe = Arrays.stream(listed.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return p.localVolumes().keySet().stream().filter(v -> !safe.contains(v)).sorted().findFirst().orElse(null);
    }

    static boolean anyBudgetCovers(BoundPod p, Iterable<DisruptionBudget> budgets) {
        for (DisruptionBudget b : budgets) {
            if (b.covers(p)) {
                return true;
            }
        }
        return false;
    }
}
