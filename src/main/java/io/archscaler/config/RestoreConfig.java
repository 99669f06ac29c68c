package io.archscaler.config;

import io.archscaler.images.RegistryConfig;
import io.archscaler.scaler.restore.RestoreBudget;
import io.archscaler.scaler.restore.RestoreRules;
import io.archscaler.scaler.restore.UnknownImages;

import java.time.Duration;

/**
 * {@code scaleDown.restore}: moving pods from amd64 nodes back to arm64 once arm64 can take them
 * (and, with {@code scaleDown.consolidate}, replacing amd64 nodes by cheaper arm64 ones).
 *
 * @param maxNodes         nodes moving at once
 * @param perInterval      moves started per {@code interval}
 * @param minSavingPerHour the least saving per hour worth a move
 */
public record RestoreConfig(boolean enabled, int maxNodes, int perInterval, Duration interval, double minSavingPerHour) {
    public static final RestoreConfig DEFAULTS = new RestoreConfig(true, RestoreBudget.DEFAULTS.maxNodes(),
            RestoreBudget.DEFAULTS.perInterval(), RestoreBudget.DEFAULTS.interval(),
            RestoreBudget.DEFAULTS.minSavingPerHour());

    /**
     * The restore planner's rules from a whole config: {@code scaleDown.consolidate} replaces,
     * {@code images.onUnknown} decides unknown images, this block is the budget.
     */
    public static RestoreRules rules(ArchscalerConfig cfg) {
        UnknownImages unknown = cfg.images().registries().onUnknown() == RegistryConfig.OnUnknown.ASSUME_AMD64
                ? UnknownImages.ASSUME_AMD64 : UnknownImages.ASSUME_MULTIARCH;
        return new RestoreRules(cfg.scaleDown().consolidate(), unknown, cfg.scaleDown().restore().budget());
    }

    /** The restore planner's budget. */
    public RestoreBudget budget() {
        return new RestoreBudget(maxNodes, perInterval, interval, minSavingPerHour);
    }
}
