package io.archscaler.scaler.model;

/**
 * A pod toleration. {@code operator} is {@code Equal} or {@code Exists}; an empty key with
 * {@code Exists} tolerates every taint; a null effect matches every effect.
 */
public record Toleration(String key, String operator, String value, TaintEffect effect) {
    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null || operator.isEmpty() ? "Equal" : operator;
        value = value == null ? "" : value;
    }

    /** Whether this toleration tolerates the taint, by the kube-scheduler's rules. */
    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (key.isEmpty()) {
            return "Exists".equals(operator);
        }
        if (!key.equals(taint.key())) {
            return false;
        }
        return "Exists".equals(operator) || value.equals(taint.value());
    }
}
