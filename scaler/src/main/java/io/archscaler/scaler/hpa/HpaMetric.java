package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One entry of an HPA's {@code spec.metrics}, reduced to what the replica count depends on.
 *
 * @param name      the metric name ({@code Pods}, {@code Object}, {@code External}) or the resource
 *                  name ({@code Resource}, {@code ContainerResource}: {@code cpu}, {@code memory})
 * @param container the container of a {@code ContainerResource} metric, null otherwise
 * @param target    the target quantity, exactly ({@code Value}, {@code AverageValue}), or the
 *                  target percentage ({@code Utilization})
 */
public record HpaMetric(MetricSourceType source, String name, String container, MetricTargetType targetType,
                        BigDecimal target) {
    public HpaMetric {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(target, "target");
        if (target.signum() <= 0) {
            throw new IllegalArgumentException("target must be more than 0 (got " + target.toPlainString() + ")");
        }
        if (source == MetricSourceType.CONTAINER_RESOURCE && (container == null || container.isBlank())) {
            throw new IllegalArgumentException("a ContainerResource metric needs a container");
        }
        if (targetType == MetricTargetType.UTILIZATION
                && source != MetricSourceType.RESOURCE && source != MetricSourceType.CONTAINER_RESOURCE) {
            throw new IllegalArgumentException("a Utilization target only applies to Resource and ContainerResource metrics");
        }
        if (source == MetricSourceType.PODS && targetType != MetricTargetType.AVERAGE_VALUE) {
            throw new IllegalArgumentException("a Pods metric takes an AverageValue target");
        }
        if ((source == MetricSourceType.RESOURCE || source == MetricSourceType.CONTAINER_RESOURCE)
                && targetType == MetricTargetType.VALUE) {
            throw new IllegalArgumentException("a Resource metric takes a Utilization or AverageValue target");
        }
    }

    /**
     * The name a metric sample uses for this metric: the metric or resource name, and
     * {@code container/resource} for a ContainerResource metric ({@code app/cpu}).
     */
    public String id() {
        return source == MetricSourceType.CONTAINER_RESOURCE ? container + "/" + name : name;
    }
}
