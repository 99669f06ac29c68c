package io.archscaler.scaler.model;

import java.util.Optional;

/** The effect of a node taint, spelled as Kubernetes spells it. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"),
    PREFER_NO_SCHEDULE("PreferNoSchedule"),
    NO_EXECUTE("NoExecute");

    private final String kubernetesName;

    TaintEffect(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    public String kubernetesName() {
        return kubernetesName;
    }

    /** Whether the scheduler refuses an untolerating pod (PreferNoSchedule only discourages). */
    public boolean blocksScheduling() {
        return this != PREFER_NO_SCHEDULE;
    }

    /** Accepts the Kubernetes spelling ({@code NoSchedule}) and the AWS one ({@code NO_SCHEDULE}). */
    public static Optional<TaintEffect> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (TaintEffect e : values()) {
            if (e.kubernetesName.equals(s) || e.name().equals(s)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kubernetesName;
    }
}
