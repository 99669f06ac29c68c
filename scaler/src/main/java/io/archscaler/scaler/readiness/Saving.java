package io.archscaler.scaler.readiness;

/**
 * What moving a workload's amd64 pods to arm64 is worth per month.
 *
 * @param pods     the pods that would move (those not on arm64 already)
 * @param amd64    what they cost where they run now
 * @param arm64    what they would cost on the arm64 group the planner would pick
 * @param unpriced why no saving could be computed (no arm64 group fits, no amd64 price), or null
 */
public record Saving(int pods, Price amd64, Price arm64, String unpriced) {
    /** Nothing to move: every pod runs on arm64 already, or there are none. */
    public static Saving nothingToMove() {
        return new Saving(0, Price.NONE, Price.NONE, null);
    }

    public static Saving unpriced(int pods, String why) {
        return new Saving(pods, Price.NONE, Price.NONE, why);
    }

    /** amd64 minus arm64 per month; 0 when unpriced. Negative when arm64 would cost more. */
    public double perMonth() {
        return unpriced == null ? amd64.perMonth() - arm64.perMonth() : 0;
    }

    public boolean priced() {
        return unpriced == null;
    }
}
