package io.archscaler.scaler.scaledown;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a pod may be evicted for scale-down, by the Cluster Autoscaler's rules: an explicit
 * {@code safe-to-evict: "false"} always keeps it; {@code "true"} lets a bare, kube-system or
 * local-storage pod go. PodDisruptionBudgets are checked apart, since they are shared.
 */
final class PodRules {
    /** Why a pod keeps its node. */
    record Blocked(UnremovableReason reason, String detail) {
    }

    private PodRules() {
    }

    /** Null when the pod may be evicted; {@code coveredByBudget} says whether some PDB selects it. */
    static Blocked check(BoundPod p, boolean coveredByBudget) {
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
