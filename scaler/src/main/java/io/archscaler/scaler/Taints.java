package io.archscaler.scaler;

import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.Toleration;

import java.util.List;

/** Whether a pod's tolerations let it onto a node with given taints. */
final class Taints {
    private Taints() {
    }

    /**
     * The first NoSchedule or NoExecute taint none of the tolerations tolerates, or null;
     * PreferNoSchedule only discourages, so it never blocks.
     */
    static Taint untolerated(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint taint : taints) {
            if (taint.effect().blocksScheduling() && !tolerated(taint, tolerations)) {
                return taint;
            }
        }
        return null;
    }

    private static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        for (Toleration t : tolerations) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
