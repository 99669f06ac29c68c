package io.archscaler.scaler.hpa;

import java.util.Optional;

/** The {@code type} of an autoscaling/v2 MetricSpec. */
public enum MetricSourceType {
    PODS("Pods"),
    OBJECT("Object"),
    EXTERNAL("External"),
    RESOURCE("Resource"),
    CONTAINER_RESOURCE("ContainerResource");

    private final String apiName;

    MetricSourceType(String apiName) {
        this.apiName = apiName;
    }

    /** The word the API uses ({@code Pods}, {@code ContainerResource}, …). */
    public String apiName() {
        return apiName;
    }

    public static Optional<MetricSourceType> parse(String word) {
        for (MetricSourceType t : values()) {
            if (t.apiName.equals(word)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
