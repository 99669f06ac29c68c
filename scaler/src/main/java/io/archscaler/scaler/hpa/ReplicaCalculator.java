package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalInt;

/**
 * The replicas one metric asks for, as the HPA controller's {@code replica_calculator.go} computes
 * them. Values and targets become milli-units as {@code resource.Quantity.MilliValue()} does
 * (rounded up), and the ratio is taken in float64, so results match the controller to the bit.
 *
 * <p>What the value of a sample means, per metric type (the controller's inputs):
 * <ul>
 *   <li>{@code Pods} ({@code AverageValue}): the per-pod average;
 *       {@code GetMetricReplicas}/{@code calcPlainMetricReplicas}: ratio = value / target, within
 *       tolerance → current, else {@code ceil(ratio × current)}.</li>
 *   <li>{@code Resource}/{@code ContainerResource} {@code Utilization}: the average utilisation in
 *       percent of requests, truncated to a whole percent as {@code GetResourceUtilizationRatio}
 *       does; {@code AverageValue}: the per-pod average, as for Pods.</li>
 *   <li>{@code Object}/{@code External} {@code Value}: the metric's value (for External, the sum
 *       of its series); {@code GetObjectMetricReplicas}/{@code getUsageRatioReplicaCount}:
 *       ratio = value / target, within tolerance → current, else {@code ceil(ratio × current)};
 *       from zero replicas {@code ceil(ratio)}.</li>
 *   <li>{@code Object}/{@code External} {@code AverageValue}: the metric's total value;
 *       {@code GetObjectPerPodMetricReplicas}: ratio = value / (target × current), outside
 *       tolerance → {@code ceil(value / target)}.</li>
 * </ul>
 * The controller counts ready pods where Archscaler counts the current replicas: it assumes every
 * replica is ready and reports the metric.
 */
public final class ReplicaCalculator {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private ReplicaCalculator() {
    }

    /** The usage-ratio tolerance on each side of 1.0 ({@code Tolerances.isWithin}). */
    public record Tolerances(double scaleDown, double scaleUp) {
        public boolean isWithin(double usageRatio) {
            return (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp);
        }
    }

    /**
     * Replicas for one metric given its latest value; empty when the controller could not compute
     * one either (a per-pod metric with no pods).
     */
    public static OptionalInt replicas(HpaMetric metric, BigDecimal value, int currentReplicas, Tolerances tolerances) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("metric " + metric.id() + ": value must not be negative (got "
                    + value.toPlainString() + ")");
        }
        return switch (metric.source()) {
            case PODS -> plain(currentReplicas, milli(value), milli(metric.target()), tolerances);
            case RESOURCE, CONTAINER_RESOURCE -> metric.targetType() == MetricTargetType.UTILIZATION
                    ? utilization(currentReplicas, value, metric.target(), tolerances)
                    : plain(currentReplicas, milli(value), milli(metric.target()), tolerances);
            case OBJECT, EXTERNAL -> metric.targetType() == MetricTargetType.VALUE
                    ? usageRatio(currentReplicas, (double) milli(value) / (double) milli(metric.target()), tolerances)
                    : perPod(currentReplicas, milli(value), milli(metric.target()), tolerances);
        };
    }

    /** {@code calcPlainMetricReplicas} with every replica ready and reporting. */
    private static OptionalInt plain(int current, long usage, long target, Tolerances t) {
        if (current == 0) {
            return OptionalInt.empty(); // "no pods returned by selector"
        }
        double usageRatio = (double) usage / (double) target;
        if (t.isWithin(usageRatio)) {
            return OptionalInt.of(current);
        }
        return OptionalInt.of(ceil(usageRatio * (double) current));
    }

    /** {@code GetResourceReplicas}: utilisation is a whole percent, the target a whole percent. */
    private static OptionalInt utilization(int current, BigDecimal percent, BigDecimal target, Tolerances t) {
        if (current == 0) {
            return OptionalInt.empty();
        }
        long utilization = percent.setScale(0, RoundingMode.DOWN).longValueExact();
        double usageRatio = (double) utilization / (double) target.setScale(0, RoundingMode.DOWN).longValueExact();
        if (t.isWithin(usageRatio)) {
            return OptionalInt.of(current);
        }
        return OptionalInt.of(ceil(usageRatio * (double) current));
    }

    /** {@code getUsageRatioReplicaCount}: from zero replicas the tolerance does not apply. */
    private static OptionalInt usageRatio(int current, double usageRatio, Tolerances t) {
        if (current == 0) {
            return OptionalInt.of(ceil(usageRatio));
        }
        if (t.isWithin(usageRatio)) {
            return OptionalInt.of(current);
        }
        return OptionalInt.of(ceil(usageRatio * (double) current));
    }

    /** {@code GetObjectPerPodMetricReplicas} and {@code GetExternalPerPodMetricReplicas}. */
    private static OptionalInt perPod(int current, long usage, long targetPerPod, Tolerances t) {
        double usageRatio = (double) usage / ((double) targetPerPod * (double) current);
        if (t.isWithin(usageRatio)) {
            return OptionalInt.of(current);
        }
        return OptionalInt.of(ceil((double) usage / (double) targetPerPod));
    }

    /** {@code Quantity.MilliValue()}: milli-units, rounded up. */
    static long milli(BigDecimal value) {
        BigDecimal m = value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
        return m.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : m.longValueExact();
    }

    /** {@code int32(math.Ceil(x))}, capped at MaxInt32 as the controller caps it. */
    static int ceil(double x) {
        double c = Math.ceil(x);
        if (Double.isNaN(c)) {
            return 0;
        }
        return c >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) c;
    }
}
