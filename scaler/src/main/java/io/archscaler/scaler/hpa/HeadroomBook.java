package io.archscaler.scaler.hpa;

import io.archscaler.scaler.model.PendingPod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The headroom held for workloads an HPA is about to grow: per workload, how many pods the HPA is
 * predicted to add, as pending pods built from the workload's template. Each real pod of the
 * workload created after the prediction releases one; what is left is released after
 * {@code ttl}, and the same forecast is not booked again once it has expired (the HPA did not act
 * on it). Not thread-safe; owned by one caller.
 */
public final class HeadroomBook {
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Forecast> expiredForecasts = new HashMap<>();

    /**
     * Headroom for one workload.
     *
     * @param predictedReplicas what the HPA is predicted to ask for
     * @param baseReplicas      the workload's replicas when the prediction was made
     * @param remaining         pods still held (predicted minus base minus pods arrived)
     * @param arrived           the real pods that released headroom, by {@code namespace/name}
     */
    public record Entry(WorkloadRef workload, PendingPod template, int predictedReplicas, int baseReplicas,
                        int remaining, Instant recordedAt, Set<String> arrived) {
        public Entry {
            arrived = Set.copyOf(arrived);
        }
    }

    /** Why headroom was released. */
    public enum Reason {
        /** Every predicted pod arrived. */
        PODS_ARRIVED,
        /** {@code headroomTtl} passed without the pods arriving. */
        EXPIRED,
        /** A newer prediction no longer expects growth, or the workload or its HPA is gone. */
        WITHDRAWN
    }

    /** Headroom given back: {@code pods} pods of {@code workload}, booked at {@code recordedAt}. */
    public record Released(WorkloadRef workload, int pods, Reason reason, Instant recordedAt) {
    }

    /** A real pod that took the place of one headroom pod; {@code remaining} are still held. */
    public record Arrival(WorkloadRef workload, String pod, Instant recordedAt, Instant arrivedAt, int remaining) {
    }

    private record Forecast(int predicted, int base) {
    }

    public HeadroomBook(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /**
     * Books headroom for a prediction of {@code predictedReplicas} while the workload has
     * {@code currentReplicas}. An unchanged forecast keeps its entry (and its time to live); a
     * forecast that no longer grows the workload withdraws the entry. Returns the entry held now.
     */
    public Optional<Entry> record(WorkloadRef workload, PendingPod template, int predictedReplicas, int currentReplicas) {
        String key = workload.key();
        Entry old = entries.get(key);
        int extra = predictedReplicas - currentReplicas;
        if (extra <= 0) {
            entries.remove(key);
            expiredForecasts.remove(key);
            return Optional.empty();
        }
        Forecast forecast = new Forecast(predictedReplicas, currentReplicas);
        if (old != null && old.predictedReplicas() == predictedReplicas && old.baseReplicas() == currentReplicas) {
            Entry kept = new Entry(workload, template, old.predictedReplicas(), old.baseReplicas(), old.remaining(),
                    old.recordedAt(), old.arrived());
            entries.put(key, kept);
            return Optional.of(kept);
        }
        if (old == null && forecast.equals(expiredForecasts.get(key))) {
            return Optional.empty();
        }
        expiredForecasts.remove(key);
        // pods that arrived since an earlier forecast from the same base are part of this growth too
        Set<String> arrived = old != null && old.baseReplicas() == currentReplicas ? old.arrived() : Set.of();
        int remaining = extra - arrived.size();
        if (remaining <= 0) {
            entries.remove(key);
            return Optional.empty();
        }
        Entry e = new Entry(workload, template, predictedReplicas, currentReplicas, remaining, clock.instant(), arrived);
        entries.put(key, e);
        return Optional.of(e);
    }

    /** Replaces the pod template of a workload's headroom (a new revision of the workload). */
    public void updateTemplate(WorkloadRef workload, PendingPod template) {
        entries.computeIfPresent(workload.key(), (k, e) -> new Entry(e.workload(), template, e.predictedReplicas(),
                e.baseReplicas(), e.remaining(), e.recordedAt(), e.arrived()));
    }

    /**
     * A real pod of the workload was seen pending or scheduled. It releases one headroom pod when
     * it was created after the prediction (by its {@code creationTimestamp}, to the second, or when
     * that is unknown) and has not released one already.
     */
    public Optional<Arrival> podArrived(WorkloadRef workload, String podKey, Instant createdAt) {
        Entry e = entries.get(workload.key());
        if (e == null || e.arrived().contains(podKey)) {
            return Optional.empty();
        }
        // creationTimestamp has whole seconds; a pod created in the same second counts
        if (createdAt != null && createdAt.isBefore(e.recordedAt().truncatedTo(ChronoUnit.SECONDS))) {
            return Optional.empty();
        }
        Set<String> arrived = new LinkedHashSet<>(e.arrived());
        arrived.add(podKey);
        int remaining = e.remaining() - 1;
        if (remaining == 0) {
            entries.remove(workload.key());
        } else {
            entries.put(workload.key(), new Entry(e.workload(), e.template(), e.predictedReplicas(), e.baseReplicas(),
                    remaining, e.recordedAt(), arrived));
        }
        return Optional.of(new Arrival(workload, podKey, e.recordedAt(), clock.instant(), remaining));
    }

    /** Releases a workload's headroom at once (the workload or its HPA was deleted). */
    public Optional<Released> withdraw(WorkloadRef workload) {
        expiredForecasts.remove(workload.key());
        Entry e = entries.remove(workload.key());
        return e == null ? Optional.empty()
                : Optional.of(new Released(e.workload(), e.remaining(), Reason.WITHDRAWN, e.recordedAt()));
    }

    /** Releases the headroom whose time to live has passed. */
    public List<Released> expire() {
        Instant now = clock.instant();
        List<Released> out = new ArrayList<>();
        entries.values().removeIf(e -> {
            if (now.isBefore(e.recordedAt().plus(ttl))) {
                return false;
            }
            expiredForecasts.put(e.workload().key(), new Forecast(e.predictedReplicas(), e.baseReplicas()));
            out.add(new Released(e.workload(), e.remaining(), Reason.EXPIRED, e.recordedAt()));
            return true;
        });
        return out;
    }

    /**
     * The headroom pods to plan, named {@code <workload>-headroom-<i>} in the workload's
     * namespace, owned by the workload; in workload order, so plans stay deterministic.
     */
    public List<PendingPod> pods() {
        List<PendingPod> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            PendingPod t = e.template();
            WorkloadRef w = e.workload();
            for (int i = 0; i < e.remaining(); i++) {
                out.add(new PendingPod(w.namespace(), w.name() + "-headroom-" + i, t.requests(), t.nodeSelector(),
                        t.requiredAffinity(), t.tolerations(), t.imageArchs(), w.ownerKey()));
            }
        }
        return out;
    }

    public Optional<Entry> entry(WorkloadRef workload) {
        return Optional.ofNullable(entries.get(workload.key()));
    }

    /** Every entry, in workload order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Headroom pods held in all. */
    /** Whether no headroom is held. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.values().stream().mapToInt(Entry::remaining).sum();
    }
}
