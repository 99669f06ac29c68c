package io.archscaler.scaler.hpa;

import java.util.Objects;
import java.util.Optional;

/** One {@code behavior.scaleUp.policies} (or scaleDown) entry: at most {@code value} pods or percent per period. */
public record ScalingPolicy(Type type, int value, int periodSeconds) {
    /** {@code Pods} or {@code Percent}. */
    public enum Type {
        PODS("Pods"),
        PERCENT("Percent");

        private final String apiName;

        Type(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        public static Optional<Type> parse(String word) {
            for (Type t : values()) {
                if (t.apiName.equals(word)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    public ScalingPolicy {
        Objects.requireNonNull(type, "type");
        if (value <= 0) {
            throw new IllegalArgumentException("value must be more than 0 (got " + value + ")");
        }
        if (periodSeconds <= 0 || periodSeconds > 1800) {
            throw new IllegalArgumentException("periodSeconds must be between 1 and 1800 (got " + periodSeconds + ")");
        }
    }

    public static ScalingPolicy pods(int value, int periodSeconds) {
        return new ScalingPolicy(Type.PODS, value, periodSeconds);
    }

    public static ScalingPolicy percent(int value, int periodSeconds) {
        return new ScalingPolicy(Type.PERCENT, value, periodSeconds);
    }
}
