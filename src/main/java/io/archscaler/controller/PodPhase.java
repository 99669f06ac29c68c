package io.archscaler.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Reads, from a pod object, which of the scaler's events it amounts to. */
public final class PodPhase {
    /** What a pod is to the autoscaler right now. */
    public enum Kind { PENDING, SCHEDULED, GONE, WAITING_FOR_SCHEDULER }

    private PodPhase() {
    }

    public static Kind of(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
            return Kind.GONE;
        }
        if (pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return Kind.SCHEDULED;
        }
        return isUnschedulable(pod) ? Kind.PENDING : Kind.WAITING_FOR_SCHEDULER;
    }

    /** The scheduler's verdict: condition PodScheduled=False with reason Unschedulable. */
    public static boolean isUnschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason())) {
                return true;
            }
        }
        return false;
    }
}
