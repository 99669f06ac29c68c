package io.archscaler.scaler.hpa;

import java.util.Objects;

/** {@code spec.behavior} of an HPA, both directions with defaults filled in. */
public record HpaBehavior(ScalingRules scaleUp, ScalingRules scaleDown) {
    /** What an HPA with {@code behavior: {}} gets. */
    public static final HpaBehavior DEFAULTS = new HpaBehavior(ScalingRules.SCALE_UP_DEFAULTS,
            ScalingRules.SCALE_DOWN_DEFAULTS);

    public HpaBehavior {
        Objects.requireNonNull(scaleUp, "scaleUp");
        Objects.requireNonNull(scaleDown, "scaleDown");
    }
}
