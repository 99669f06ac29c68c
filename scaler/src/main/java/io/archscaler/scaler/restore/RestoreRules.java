package io.archscaler.scaler.restore;

/**
 * The restore planner's knobs.
 *
 * @param replace       also replace amd64 nodes whose pods the ranking keeps on amd64 when arm64
 *                      costs less ({@code scaleDown.consolidate})
 * @param unknownImages what a pod whose images are unknown is taken for ({@code images.onUnknown})
 */
public record RestoreRules(boolean replace, UnknownImages unknownImages, RestoreBudget budget) {
    public static final RestoreRules DEFAULTS = new RestoreRules(false, UnknownImages.ASSUME_MULTIARCH,
            RestoreBudget.DEFAULTS);

    public RestoreRules {
        unknownImages = unknownImages == null ? UnknownImages.ASSUME_MULTIARCH : unknownImages;
        budget = budget == null ? RestoreBudget.DEFAULTS : budget;
    }
}
