package io.archscaler.bench;

import io.archscaler.cli.TextTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The report of {@code bench --e2e}: each figure's median over runs with its range, by size, and the targets. */
public final class E2eResult {
    /** One figure of a round, with its JSON name and how it is printed. */
    private record Figure(String name, String key, String format, ToDoubleFunction<E2eRound> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("pods created in (s)", "createSeconds", "%.1f", E2eRound::createSeconds),
            new Figure("burst start -> all bound (s)", "burstStartToAllBoundSeconds", "%.1f", r -> r.waits().startToAllBound()),
            new Figure("last Unschedulable -> all bound, less delay (s)", "lastUnschedulableToAllBoundSeconds", "%.2f",
                    r -> r.waits().toAllBound()),
            new Figure("last Unschedulable -> all Running, less delay (s)", "lastUnschedulableToAllRunningSeconds", "%.2f",
                    r -> r.waits().toAllRunning()),
            new Figure("per pod Unschedulable -> bound p50 (s)", "boundP50Seconds", "%.2f", r -> r.waits().bound().p50()),
            new Figure("  p99", "boundP99Seconds", "%.2f", r -> r.waits().bound().p99()),
            new Figure("  max", "boundMaxSeconds", "%.2f", r -> r.waits().bound().max()),
            new Figure("per pod Unschedulable -> Running p50 (s)", "runningP50Seconds", "%.2f", r -> r.waits().running().p50()),
            new Figure("  p99", "runningP99Seconds", "%.2f", r -> r.waits().running().p99()),
            new Figure("  max", "runningMaxSeconds", "%.2f", r -> r.waits().running().max()),
            new Figure("scale-up decisions", "scaleUpDecisions", "%.0f", r -> r.scaleUps().decisions()),
            new Figure("nodes asked for", "nodesAskedFor", "%.0f", r -> r.scaleUps().nodes()),
            new Figure("Archscaler API requests per pod (no Events)", "apiRequestsPerPod", "%.3f", r -> r.requests().perPod()),
            new Figure("Archscaler Events created", "eventsCreated", "%.0f", r -> r.requests().events()),
            new Figure("Archscaler cpu (s, own JVM)", "archscalerCpuSeconds", "%.1f", r -> r.cpu().controller()),
            new Figure("Archscaler peak heap (MiB, at a GC)", "archscalerPeakHeapMiB", "%.0f", r -> r.heap().peakMiB()),
            new Figure("Archscaler peak heap after GC (MiB)", "archscalerPeakHeapAfterGcMiB", "%.0f", r -> r.heap().peakAfterGcMiB()),
            new Figure("kube-apiserver cpu (s)", "kubeApiserverCpuSeconds", "%.1f", r -> r.cpu().apiServer()),
            new Figure("etcd cpu (s)", "etcdCpuSeconds", "%.1f", r -> r.cpu().etcd()),
            new Figure("kube-scheduler cpu (s)", "kubeSchedulerCpuSeconds", "%.1f", r -> r.cpu().scheduler()),
            new Figure("kube-controller-manager cpu (s)", "kubeControllerManagerCpuSeconds", "%.1f", r -> r.cpu().controllerManager()),
            new Figure("kwok cpu (s)", "kwokCpuSeconds", "%.1f", r -> r.cpu().kwok()),
            new Figure("kube-scheduler bindings a second", "schedulerBindingsPerSecond", "%.0f", r -> r.scheduler().bindingsPerSecond()),
            new Figure("last Node registered after last Unschedulable (s)", "lastNodeRegisteredSeconds", "%.2f",
                    r -> r.scheduler().lastNodeRegistered()),
            new Figure("load average before", "loadAverageBefore", "%.2f", r -> r.load()[0]),
            new Figure("load average after", "loadAverageAfter", "%.2f", r -> r.load()[1]));

    private final Duration registrationDelay;
    private final double clientQps;
    private final boolean baseline;
    private final List<List<E2eRound>> bySize;

    E2eResult(Duration registrationDelay, double clientQps, boolean baseline, List<List<E2eRound>> bySize) {
        this.registrationDelay = registrationDelay;
        this.clientQps = clientQps;
        this.baseline = baseline;
        this.bySize = List.copyOf(bySize);
    }

    /** Whether every run of every size had all its pods Running before its timeout. */
    public boolean allComplete() {
        return bySize.stream().flatMap(List::stream).allMatch(E2eRound::complete);
    }

    /** The slope of ln(median wait to all bound) over ln(pods); NaN with fewer than two sizes or a wait not above 0. */
    public double growthExponent() {
        if (bySize.size() < 2) {
            return Double.NaN;
        }
        double[] x = new double[bySize.size()];
        double[] y = new double[bySize.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = bySize.get(i).get(0).pods();
            y[i] = median(bySize.get(i), r -> r.waits().toAllBound());
            if (y[i] <= 0) {
                return Double.NaN;
            }
        }
        return Stats.logLogSlope(x, y);
    }

    public String table() {
        List<String> header = new ArrayList<>(List.of("MEDIAN (MIN-MAX) OVER RUNS"));
        bySize.forEach(rounds -> header.add(String.format(Locale.ROOT, "%,d PODS x%d", rounds.get(0).pods(), rounds.size())));
        TextTable t = new TextTable(header.toArray(String[]::new));
        for (Figure f : FIGURES) {
            List<Object> row = new ArrayList<>(List.of(f.name()));
            for (List<E2eRound> rounds : bySize) {
                double[] v = rounds.stream().mapToDouble(f.value()).toArray();
                String median = String.format(Locale.ROOT, f.format(), Stats.percentile(v, 0.5));
                row.add(v.length == 1 ? median : median + " (" + String.format(Locale.ROOT, f.format(), Stats.percentile(v, 0))
                        + "-" + String.format(Locale.ROOT, f.format(), Stats.percentile(v, 1.0)) + ")");
            }
            t.row(row.toArray());
        }
        TextTable requests = new TextTable("ARCHSCALER'S REQUESTS, MEDIAN OVER RUNS", "PODS", "COUNT");
        for (List<E2eRound> rounds : bySize) {
            // a watch re-opened in one run only has a median of 0: not worth a row
            medianRequests(rounds).forEach((what, count) -> {
                if (count > 0) {
                    requests.row(what, rounds.get(0).pods(), count);
                }
            });
        }
        StringBuilder out = new StringBuilder(baseline ? "BASELINE: no Archscaler; nodes enough for every pod registered"
                + " before the burst, so no pod is Unschedulable and the waits count from the burst's start\n" : "");
        out.append(String.format(Locale.ROOT, "Bursts of pending pods on the real control plane;"
                + " simulated nodes register %d ms after a scale-up; kube-scheduler's and kube-controller-manager's client"
                + " qps %s; waits from the benchmark's own watch%n", registrationDelay.toMillis(),
                clientQps <= 0 ? "Kubernetes' defaults" : String.format(Locale.ROOT, "%.0f (burst %.0f)", clientQps, clientQps * 2)));
        out.append(t.render()).append(requests.render());
        double g = growthExponent();
        out.append(String.format(Locale.ROOT, "growth exponent of the wait to all bound over pods: %s%n",
                Double.isNaN(g) ? "n/a (needs two sizes with a wait above 0)" : String.format(Locale.ROOT, "%.3f", g)));
        targets().forEach((what, holds) -> out.append(String.format(Locale.ROOT, "target %s: %s%n", what,
                holds ? "holds" : "MISSED")));
        if (!allComplete()) {
            out.append("INCOMPLETE: some run timed out before every pod was Running\n");
        }
        return out.toString();
    }

    /** The targets that these sizes speak to, and whether each held (on the medians); none for the baseline. */
    public Map<String, Boolean> targets() {
        Map<String, Boolean> out = new TreeMap<>();
        if (baseline) {
            return out; // the targets are Archscaler's; the baseline has none
        }
        for (List<E2eRound> rounds : bySize) {
            int n = rounds.get(0).pods();
            double bound = median(rounds, r -> r.waits().toAllBound());
            if (n == 10_000) {
                out.put("10,000 pods all bound within delay + 5 s", bound <= 5);
            }
            if (n == 50_000) {
                out.put("50,000 pods all bound within delay + 15 s", bound <= 15);
            }
            out.put(String.format(Locale.ROOT, "%,d pods: at most 3 API requests a pod", n),
                    median(rounds, r -> r.requests().perPod()) <= 3);
        }
        double g = growthExponent();
        if (!Double.isNaN(g)) {
            out.put("growth exponent at most 1.1", g <= 1.1);
        }
        return out;
    }

    public JsonObject toJson() {
        JsonArray sizes = new JsonArray();
        for (List<E2eRound> rounds : bySize) {
            JsonObject median = new JsonObject();
            FIGURES.forEach(f -> median.put(f.key(), Stats.round(median(rounds, f.value()), 3)));
            JsonObject byRequest = new JsonObject();
            medianRequests(rounds).forEach(byRequest::put);
            median.put("apiRequestsByVerbAndResource", byRequest);
            JsonArray each = new JsonArray();
            rounds.forEach(r -> each.add(r.toJson()));
            sizes.add(new JsonObject().put("pods", rounds.get(0).pods()).put("runs", rounds.size()).put("median", median)
                    .put("rounds", each));
        }
        JsonObject targets = new JsonObject();
        targets().forEach(targets::put);
        double g = growthExponent();
        return new JsonObject().put("benchmark", "e2e").put("baseline", baseline).put("registrationDelayMillis", registrationDelay.toMillis())
                .put("clientQps", clientQps).put("sizes", sizes).put("growthExponent", Double.isNaN(g) ? null : Stats.round(g, 3))
                .put("targets", targets).put("complete", allComplete());
    }

    private static double median(List<E2eRound> rounds, ToDoubleFunction<E2eRound> value) {
        return Stats.percentile(rounds.stream().mapToDouble(value).toArray(), 0.5);
    }

    private static Map<String, Integer> medianRequests(List<E2eRound> rounds) {
        TreeSet<String> keys = new TreeSet<>();
        rounds.forEach(r -> keys.addAll(r.requests().byVerbAndResource().keySet()));
        Map<String, Integer> out = new TreeMap<>();
        for (String k : keys) {
            out.put(k, (int) median(rounds, r -> r.requests().byVerbAndResource().getOrDefault(k, 0)));
        }
        return out;
    }
}
