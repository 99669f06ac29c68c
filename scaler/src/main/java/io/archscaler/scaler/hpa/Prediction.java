package io.archscaler.scaler.hpa;

/**
 * The replicas an HPA will ask for on its next sync.
 *
 * @param metricReplicas the maximum over its metrics before stabilisation and limits (the
 *                       controller's "recommendation"), or the current replicas when no metric
 *                       was computed
 * @param metric         the id of the metric that gave {@code metricReplicas}, null when none did
 * @param reason         why the result is what it is, in the controller's words:
 *                       {@code DesiredWithinRange}, {@code ScaleUpLimit}, {@code TooManyReplicas},
 *                       {@code ScaleDownLimit}, {@code TooFewReplicas}, {@code ScaleUpStabilized},
 *                       {@code ScaleDownStabilized}, {@code ScalingDisabled}, {@code AboveMaxReplicas},
 *                       {@code BelowMinReplicas}
 * @param fromMetrics    whether the metrics were computed (the controller records a recommendation
 *                       only then)
 */
public record Prediction(int currentReplicas, int metricReplicas, int desiredReplicas, String metric, String reason,
                         boolean fromMetrics) {
    /** Replicas the HPA will add; 0 when it will not grow. */
    public int extraReplicas() {
        return Math.max(0, desiredReplicas - currentReplicas);
    }
}
