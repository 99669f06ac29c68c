package io.archscaler.scaler.hpa;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Archscaler remembers of one HPA between events: its spec, the replicas its status reports,
 * the last value of each of its metrics and its last prediction. Each event gives the next state;
 * only {@code history}, the HPA controller's own recommendations and scale events, is shared and
 * grows from one state to the next, as the controller's does.
 *
 * @param values the newest value per metric name
 * @param last   the last prediction, or null before the first
 */
public record TrackedHpa(Hpa hpa, HpaHistory history, ReplicaStatus status, Map<String, MetricValue> values,
                         Predicted last) {
    public TrackedHpa {
        values = Map.copyOf(values);
    }

    /** A prediction and when it was made. */
    public record Predicted(Prediction prediction, Instant at) {
    }

    /**
     * The HPA acted: its {@code status.desiredReplicas} went from {@code previousReplicas} to
     * {@code actualReplicas} after the last prediction said {@code predictedReplicas}.
     */
    public record Acted(int previousReplicas, int predictedReplicas, int actualReplicas, Instant predictedAt) {
    }

    /**
     * An HPA seen for the first time; its history starts at the current replicas, as the controller's does.
     *
     * @param workloadReplicas the target's {@code spec.replicas}, or null when the target is not known
     */
    public static TrackedHpa first(Hpa hpa, ReplicaStatus status, Integer workloadReplicas, Instant now) {
        Integer current = workloadReplicas != null ? workloadReplicas : status.current();
        HpaHistory history = current == null ? new HpaHistory() : HpaHistory.startingAt(current, now);
        return new TrackedHpa(hpa, history, status, Map.of(), null);
    }

    /** The replicas the HPA starts from: its target's when known (fresher than the HPA's status), else the status's. */
    public Integer currentReplicas(Integer workloadReplicas) {
        return workloadReplicas != null ? workloadReplicas : status.current();
    }

    /** Whether the next version of the HPA scales another workload (headroom held for the old one is then void). */
    public boolean retargetedBy(Hpa next) {
        return !hpa.target().equals(next.target());
    }

    /** What the HPA did since the last prediction, when its desired replicas changed; empty before a prediction. */
    public Optional<Acted> acted(ReplicaStatus seen) {
        if (last == null || status.desired() == null || seen.desired() == null
                || seen.desired().equals(status.desired())) {
            return Optional.empty();
        }
        return Optional.of(new Acted(status.desired(), last.prediction().desiredReplicas(), seen.desired(), last.at()));
    }

    /** The HPA's next version; a status without desired replicas keeps the last known. */
    public TrackedHpa observed(Hpa next, ReplicaStatus seen) {
        Integer desired = seen.desired() != null ? seen.desired() : status.desired();
        return new TrackedHpa(next, history, new ReplicaStatus(seen.current(), desired), values, last);
    }

    /** A metric value; one measured before the value already held (a late sample) is left out. */
    public TrackedHpa sampled(String metric, BigDecimal value, Instant at) {
        MetricValue held = values.get(metric);
        if (held != null && at.isBefore(held.at())) {
            return this;
        }
        Map<String, MetricValue> next = new HashMap<>(values);
        next.put(metric, new MetricValue(value, at));
        return new TrackedHpa(hpa, history, status, next, last);
    }

    /** The metric values measured no longer than {@code maxAge} before {@code now}. */
    public Map<String, BigDecimal> freshValues(Instant now, Duration maxAge) {
        Instant oldest = now.minus(maxAge);
        Map<String, BigDecimal> out = new HashMap<>();
        values.forEach((metric, v) -> {
            if (!v.at().isBefore(oldest)) {
                out.put(metric, v.value());
            }
        });
        return out;
    }

    /** A prediction was made; one from metrics is the controller's recommendation and enters the history. */
    public TrackedHpa predicted(Prediction p, Instant now) {
        if (p.fromMetrics()) {
            history.recommended(p.metricReplicas(), now);
        }
        return new TrackedHpa(hpa, history, status, values, new Predicted(p, now));
    }
}
