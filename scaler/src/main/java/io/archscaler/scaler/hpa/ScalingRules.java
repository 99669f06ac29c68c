package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * {@code behavior.scaleUp} or {@code behavior.scaleDown} with the API server's defaults filled in
 * (pkg/apis/autoscaling/v2/defaults.go, {@code GenerateHPAScaleUpRules}/{@code GenerateHPAScaleDownRules}:
 * every field left out takes the default, each on its own).
 *
 * @param stabilizationWindowSeconds null only for scale-down, meaning the controller's
 *                                   {@code --horizontal-pod-autoscaler-downscale-stabilization} (5m)
 * @param tolerance                  the per-direction tolerance (HPAConfigurableTolerance), null for
 *                                   the controller's {@code --horizontal-pod-autoscaler-tolerance} (0.1)
 */
public record ScalingRules(Integer stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies,
                           BigDecimal tolerance) {
    /** Scale-up defaults: no stabilisation, the larger of 4 pods and 100% per 15s. */
    public static final ScalingRules SCALE_UP_DEFAULTS = new ScalingRules(0, SelectPolicy.MAX,
            List.of(ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15)), null);
    /** Scale-down defaults: the controller's stabilisation window, 100% per 15s. */
    public static final ScalingRules SCALE_DOWN_DEFAULTS = new ScalingRules(null, SelectPolicy.MAX,
            List.of(ScalingPolicy.percent(100, 15)), null);

    public ScalingRules {
        Objects.requireNonNull(selectPolicy, "selectPolicy");
        policies = List.copyOf(policies);
        if (stabilizationWindowSeconds != null && (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600)) {
            throw new IllegalArgumentException("stabilizationWindowSeconds must be between 0 and 3600 (got "
                    + stabilizationWindowSeconds + ")");
        }
        if (tolerance != null && tolerance.signum() < 0) {
            throw new IllegalArgumentException("tolerance must not be negative (got " + tolerance.toPlainString() + ")");
        }
    }

    /** Scale-up rules from what the HPA gives; any null or empty field takes its default. */
    public static ScalingRules scaleUp(Integer window, SelectPolicy select, List<ScalingPolicy> policies,
                                       BigDecimal tolerance) {
        return fill(SCALE_UP_DEFAULTS, window, select, policies, tolerance);
    }

    /** Scale-down rules from what the HPA gives; any null or empty field takes its default. */
    public static ScalingRules scaleDown(Integer window, SelectPolicy select, List<ScalingPolicy> policies,
                                         BigDecimal tolerance) {
        return fill(SCALE_DOWN_DEFAULTS, window, select, policies, tolerance);
    }

    private static ScalingRules fill(ScalingRules d, Integer window, SelectPolicy select, List<ScalingPolicy> policies,
                                     BigDecimal tolerance) {
        // validation refuses an empty policy list, and clients cannot tell empty from absent, so empty means absent
        return new ScalingRules(window != null ? window : d.stabilizationWindowSeconds,
                select != null ? select : d.selectPolicy,
                policies != null && !policies.isEmpty() ? policies : d.policies,
                tolerance != null ? tolerance : d.tolerance);
    }

    /** The longest policy period, how far back scale events matter. */
    public int longestPeriodSeconds() {
        return policies.stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
    }
}
