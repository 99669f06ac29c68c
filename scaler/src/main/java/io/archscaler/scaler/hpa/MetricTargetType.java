package io.archscaler.scaler.hpa;

import java.util.Optional;

/** The {@code target.type} of an autoscaling/v2 metric: what the target quantity is compared with. */
public enum MetricTargetType {
    VALUE("Value"),
    AVERAGE_VALUE("AverageValue"),
    UTILIZATION("Utilization");

    private final String apiName;

    MetricTargetType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<MetricTargetType> parse(String word) {
        for (MetricTargetType t : values()) {
            if (t.apiName.equals(word)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
