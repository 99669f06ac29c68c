package io.archscaler.scaler.scaledown;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The disruptions each PodDisruptionBudget still allows while several nodes are planned away in
 * one pass: every planned eviction draws its budgets down, so two nodes never spend the same one.
 */
public final class DisruptionLedger {
    private final List<DisruptionBudget> budgets;
    private final Map<String, Integer> left = new HashMap<>();

    public DisruptionLedger(List<DisruptionBudget> budgets) {
        this.budgets = List.copyOf(budgets);
        this.budgets.forEach(b -> left.put(b.key(), b.disruptionsAllowed()));
    }

    /** Null when the budgets covering the pods allow all of them to be evicted now, else why not. */
    public PodRules.Blocked check(List<BoundPod> pods) {
        Map<String, Integer> need = new HashMap<>();
        for (BoundPod p : pods) {
            for (DisruptionBudget b : budgets) {
                if (b.covers(p) && need.merge(b.key(), 1, Integer::sum) > left.get(b.key())) {
                    int allowed = left.get(b.key());
                    return new PodRules.Blocked(UnremovableReason.NOT_ENOUGH_PDB, "pod " + p.key()
                            + ": PodDisruptionBudget " + b.key() + " allows " + Math.max(0, allowed)
                            + " more disruption" + (allowed == 1 ? "" : "s"));
                }
            }
        }
        return null;
    }

    /** The pods will be evicted: their budgets allow that many fewer disruptions. */
    public void draw(List<BoundPod> pods) {
        for (BoundPod p : pods) {
            for (DisruptionBudget b : budgets) {
                if (b.covers(p)) {
                    left.merge(b.key(), -1, Integer::sum);
                }
            }
        }
    }
}
