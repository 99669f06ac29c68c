package io.archscaler.scaler.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the HPA controller remembers per HPA and its behavior rules depend on: recent
 * recommendations (for the stabilisation windows) and recent replica changes (for the rate
 * policies). Entries older than an hour are dropped: no window or policy period is longer.
 * Not thread-safe; owned by one caller.
 */
public final class HpaHistory {
    /** The longest window that can matter: {@code stabilizationWindowSeconds} is at most 3600. */
    static final Duration KEEP = Duration.ofHours(1);

    /** An unstabilised recommendation and when it was made. */
    public record Recommendation(int replicas, Instant at) {
    }

    /** A change of the target's replicas by {@code replicas} (always positive) at a time. */
    public record ScaleEvent(int replicas, Instant at) {
    }

    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> scaleUps = new ArrayList<>();
    private final List<ScaleEvent> scaleDowns = new ArrayList<>();

    /** A history that starts, as the controller's does, with the current replicas as the first recommendation. */
    public static HpaHistory startingAt(int currentReplicas, Instant at) {
        HpaHistory h = new HpaHistory();
        h.recommendations.add(new Recommendation(currentReplicas, at));
        return h;
    }

    /** An empty history. */
    public HpaHistory() {
    }

    /** Records the unstabilised recommendation (the maximum over the metrics) made at {@code at}. */
    public void recommended(int replicas, Instant at) {
        recommendations.add(new Recommendation(replicas, at));
        forgetBefore(at.minus(KEEP));
    }

    /** Records that the target went from {@code from} to {@code to} replicas at {@code at}. */
    public void scaled(int from, int to, Instant at) {
        if (to > from) {
            scaleUps.add(new ScaleEvent(to - from, at));
        } else if (to < from) {
            scaleDowns.add(new ScaleEvent(from - to, at));
        }
        forgetBefore(at.minus(KEEP));
    }

    public List<Recommendation> recommendations() {
        return List.copyOf(recommendations);
    }

    public List<ScaleEvent> scaleUps() {
        return List.copyOf(scaleUps);
    }

    public List<ScaleEvent> scaleDowns() {
        return List.copyOf(scaleDowns);
    }

    private void forgetBefore(Instant cutoff) {
        recommendations.removeIf(r -> r.at().isBefore(cutoff));
        scaleUps.removeIf(e -> e.at().isBefore(cutoff));
        scaleDowns.removeIf(e -> e.at().isBefore(cutoff));
    }
}
