package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Resources;

import java.util.EnumMap;
import java.util.Map;

/**
 * Workloads counted by verdict, the cpu and memory that can move (ready workloads' pods not on arm64
 * yet), and the monthly saving by verdict: ready is the saving, blocked the saving it forgoes,
 * unknown the saving at stake until its images are known.
 */
public record Totals(Map<Verdict, Integer> workloads, Resources movable, Map<Verdict, Double> perMonth) {
    public static final Totals EMPTY = new Totals(Map.of(), Resources.ZERO, Map.of());

    public Totals {
        workloads = filled(workloads, 0);
        perMonth = filled(perMonth, 0.0);
    }

    private static <T> Map<Verdict, T> filled(Map<Verdict, T> in, T zero) {
        Map<Verdict, T> out = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            out.put(v, in.getOrDefault(v, zero));
        }
        return Map.copyOf(out);
    }

    /** These totals with one more workload. */
    public Totals plus(WorkloadReport w) {
        Map<Verdict, Integer> counts = new EnumMap<>(workloads);
        counts.merge(w.verdict(), 1, Integer::sum);
        Map<Verdict, Double> money = new EnumMap<>(perMonth);
        money.merge(w.verdict(), w.saving().perMonth(), Double::sum);
        Resources moved = w.verdict() == Verdict.READY ? movable.plus(w.moving()) : movable;
        return new Totals(counts, moved, money);
    }

    public int count(Verdict verdict) {
        return workloads.get(verdict);
    }

    /** The monthly saving of the ready workloads. */
    public double saving() {
        return perMonth.get(Verdict.READY);
    }

    /** The monthly saving the blocked workloads forgo. */
    public double forgone() {
        return perMonth.get(Verdict.BLOCKED);
    }

    /** The monthly saving of workloads whose images are not known yet. */
    public double atStake() {
        return perMonth.get(Verdict.UNKNOWN);
    }
}
