package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Computes the replicas an HPA will ask for on its next sync, following the HPA controller
 * (kubernetes pkg/controller/podautoscaler/horizontal.go, {@code reconcileAutoscaler}):
 * <ol>
 *   <li>A target at zero replicas with {@code minReplicas > 0} is not scaled
 *       ({@code ScalingDisabled}); above {@code maxReplicas} it goes to max, below
 *       {@code minReplicas} to min, without looking at metrics.</li>
 *   <li>Otherwise each metric gives a count ({@link ReplicaCalculator}); metrics without a value
 *       are skipped as the controller skips metrics it cannot read; the largest count wins
 *       ({@code computeReplicasForMetrics}).</li>
 *   <li>Without {@code behavior} ({@code normalizeDesiredReplicas}): the largest recommendation of
 *       the downscale stabilisation window (5m) is taken, then clamped to
 *       {@code [minReplicas, min(maxReplicas, max(2 × current, 4))]}
 *       ({@code convertDesiredReplicasWithRules}, {@code calculateScaleUpLimit}).</li>
 *   <li>With {@code behavior} ({@code normalizeDesiredReplicasWithBehaviors}): the recommendation is
 *       held between the lowest recommendation of the scale-up window and the highest of the
 *       scale-down window ({@code stabilizeRecommendationWithBehaviors}); a scale-up is then
 *       limited by the policies: each proposes {@code start + value} pods ({@code Pods}) or
 *       {@code ceil(start × (1 + value/100))} ({@code Percent}), where {@code start} is the
 *       replicas at the start of its period (current minus what was added plus what was removed
 *       within it); {@code Max} takes the largest proposal, {@code Min} the smallest,
 *       {@code Disabled} allows none; the limit never goes below current, and maxReplicas caps it
 *       ({@code calculateScaleUpLimitWithScalingRules}, {@code convertDesiredReplicasWithBehaviorRate}).
 *       Scale-down mirrors it.</li>
 * </ol>
 * Pure and deterministic; the caller records recommendations and replica changes in the
 * {@link HpaHistory}.
 */
public final class HpaPredictor {
    /** The controller's {@code --horizontal-pod-autoscaler-tolerance} default. */
    public static final double DEFAULT_TOLERANCE = 0.1;
    /** The controller's {@code --horizontal-pod-autoscaler-downscale-stabilization} default. */
    public static final Duration DEFAULT_DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);

    private final double tolerance;
    private final Duration downscaleStabilization;

    /** A predictor for a controller run with its default flags. */
    public HpaPredictor() {
        this(DEFAULT_TOLERANCE, DEFAULT_DOWNSCALE_STABILIZATION);
    }

    public HpaPredictor(double tolerance, Duration downscaleStabilization) {
        this.tolerance = tolerance;
        this.downscaleStabilization = downscaleStabilization;
    }

    /**
     * The prediction for {@code hpa} when its target has {@code currentReplicas} and its metrics
     * have the given latest values (by {@link HpaMetric#id()}); empty when the metrics must be
     * computed and none has a value.
     */
    public Optional<Prediction> predict(Hpa hpa, int currentReplicas, Map<String, BigDecimal> values,
                                        HpaHistory history, Instant now) {
        int min = hpa.minReplicas();
        int max = hpa.maxReplicas();
        if (currentReplicas == 0 && min != 0) {
            return Optional.of(new Prediction(0, 0, 0, null, "ScalingDisabled", false));
        }
        if (currentReplicas > max) {
            return Optional.of(new Prediction(currentReplicas, currentReplicas, max, null, "AboveMaxReplicas", false));
        }
        if (currentReplicas < min) {
            return Optional.of(new Prediction(currentReplicas, currentReplicas, min, null, "BelowMinReplicas", false));
        }
        ReplicaCalculator.Tolerances tolerances = tolerances(hpa.behavior());
        int metricReplicas = 0;
        String metric = null;
        for (HpaMetric m : hpa.metrics()) {
            BigDecimal value = values.get(m.id());
            if (value == null) {
                continue;
            }
            OptionalInt r = ReplicaCalculator.replicas(m, value, currentReplicas, tolerances);
            if (r.isPresent() && (metric == null || r.getAsInt() > metricReplicas)) {
                metricReplicas = r.getAsInt();
                metric = m.id();
            }
        }
        if (metric == null) {
            return Optional.empty();
        }
        Limited result = hpa.behavior() == null
                ? withoutBehavior(hpa, currentReplicas, metricReplicas, history, now)
                : withBehavior(hpa, currentReplicas, metricReplicas, history, now);
        return Optional.of(new Prediction(currentReplicas, metricReplicas, result.replicas(), metric, result.reason(), true));
    }

    private record Limited(int replicas, String reason) {
    }

    private ReplicaCalculator.Tolerances tolerances(HpaBehavior behavior) {
        if (behavior == null) {
            return new ReplicaCalculator.Tolerances(tolerance, tolerance);
        }
        return new ReplicaCalculator.Tolerances(
                behavior.scaleDown().tolerance() == null ? tolerance : behavior.scaleDown().tolerance().doubleValue(),
                behavior.scaleUp().tolerance() == null ? tolerance : behavior.scaleUp().tolerance().doubleValue());
    }

    /** {@code normalizeDesiredReplicas}: {@code stabilizeRecommendation} then {@code convertDesiredReplicasWithRules}. */
    private Limited withoutBehavior(Hpa hpa, int current, int desired, HpaHistory history, Instant now) {
        Instant cutoff = now.minus(downscaleStabilization);
        int stabilized = desired;
        for (HpaHistory.Recommendation r : history.recommendations()) {
            if (!r.at().isBefore(cutoff) && r.replicas() > stabilized) {
                stabilized = r.replicas();
            }
        }
        int scaleUpLimit = (int) Math.max(2.0 * current, 4.0);
        int maxAllowed;
        String limitReason;
        if (hpa.maxReplicas() > scaleUpLimit) {
            maxAllowed = scaleUpLimit;
            limitReason = "ScaleUpLimit";
        } else {
            maxAllowed = hpa.maxReplicas();
            limitReason = "TooManyReplicas";
        }
        if (stabilized < hpa.minReplicas()) {
            return new Limited(hpa.minReplicas(), "TooFewReplicas");
        }
        if (stabilized > maxAllowed) {
            return new Limited(maxAllowed, limitReason);
        }
        return new Limited(stabilized, stabilized != desired ? "ScaleDownStabilized" : "DesiredWithinRange");
    }

    /** {@code stabilizeRecommendationWithBehaviors} then {@code convertDesiredReplicasWithBehaviorRate}. */
    private Limited withBehavior(Hpa hpa, int current, int desired, HpaHistory history, Instant now) {
        HpaBehavior b = hpa.behavior();
        long upWindow = b.scaleUp().stabilizationWindowSeconds() == null ? 0 : b.scaleUp().stabilizationWindowSeconds();
        long downWindow = b.scaleDown().stabilizationWindowSeconds() == null
                ? downscaleStabilization.toSeconds() : b.scaleDown().stabilizationWindowSeconds();
        Instant upCutoff = now.minusSeconds(upWindow);
        Instant downCutoff = now.minusSeconds(downWindow);
        int upRecommendation = desired;
        int downRecommendation = desired;
        for (HpaHistory.Recommendation r : history.recommendations()) {
            if (r.at().isAfter(upCutoff)) {
                upRecommendation = Math.min(r.replicas(), upRecommendation);
            }
            if (r.at().isAfter(downCutoff)) {
                downRecommendation = Math.max(r.replicas(), downRecommendation);
            }
        }
        int stabilized = current;
        if (stabilized < upRecommendation) {
            stabilized = upRecommendation;
        }
        if (stabilized > downRecommendation) {
            stabilized = downRecommendation;
        }
        String stabilizedReason = stabilized == desired ? "DesiredWithinRange"
                : desired >= current ? "ScaleUpStabilized" : "ScaleDownStabilized";
        if (stabilized > current) {
            int limit = Math.max(current, scaleUpLimit(current, history, b.scaleUp(), now));
            int maxAllowed = Math.min(hpa.maxReplicas(), limit);
            if (stabilized > maxAllowed) {
                return new Limited(maxAllowed, hpa.maxReplicas() > limit ? "ScaleUpLimit" : "TooManyReplicas");
            }
        } else if (stabilized < current) {
            int limit = Math.min(current, scaleDownLimit(current, history, b.scaleDown(), now));
            int minAllowed = Math.max(hpa.minReplicas(), limit);
            if (stabilized < minAllowed) {
                return new Limited(minAllowed, hpa.minReplicas() < limit ? "ScaleDownLimit" : "TooFewReplicas");
            }
        }
        return new Limited(stabilized, stabilizedReason);
    }

    /** {@code calculateScaleUpLimitWithScalingRules}. */
    static int scaleUpLimit(int current, HpaHistory history, ScalingRules rules, Instant now) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.selectPolicy() == SelectPolicy.MIN;
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int start = current - changedWithin(history.scaleUps(), p.periodSeconds(), now)
                    + changedWithin(history.scaleDowns(), p.periodSeconds(), now);
            int proposed = p.type() == ScalingPolicy.Type.PODS
                    ? start + p.value()
                    : ReplicaCalculator.ceil((double) start * (1 + (double) p.value() / 100));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /** {@code calculateScaleDownLimitWithBehaviors}. */
    static int scaleDownLimit(int current, HpaHistory history, ScalingRules rules, Instant now) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.selectPolicy() == SelectPolicy.MIN;
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int start = current - changedWithin(history.scaleUps(), p.periodSeconds(), now)
                    + changedWithin(history.scaleDowns(), p.periodSeconds(), now);
            int proposed = p.type() == ScalingPolicy.Type.PODS
                    ? start - p.value()
                    : (int) ((double) start * (1 - (double) p.value() / 100));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /** {@code getReplicasChangePerPeriod}: changes strictly after {@code now - period}. */
    private static int changedWithin(List<HpaHistory.ScaleEvent> events, int periodSeconds, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        int sum = 0;
        for (HpaHistory.ScaleEvent e : events) {
            if (e.at().isAfter(cutoff)) {
                sum += e.replicas();
            }
        }
        return sum;
    }
}
