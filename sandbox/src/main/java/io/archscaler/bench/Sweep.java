package io.archscaler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The planner benchmark at 1k, 5k, 10k, 20k and 50k pending pods in one process, and how time grows with them. */
public final class Sweep {
    public static final int[] SIZES = {1_000, 5_000, 10_000, 20_000, 50_000};

    /**
     * @param main           the point at the spec's own pod count (a sweep point when it is one)
     * @param growthExponent least-squares slope of log(p50 time) over log(pods)
     */
    public record Result(List<PlannerResult> points, PlannerResult main, double growthExponent) {
    }

    private final PlannerBench bench;
    private final Consumer<String> progress;

    public Sweep(PlannerBench bench, Consumer<String> progress) {
        this.bench = bench;
        this.progress = progress;
    }

    public Result run(BenchSpec spec) {
        List<PlannerResult> points = new ArrayList<>();
        PlannerResult main = null;
        double[] x = new double[SIZES.length];
        double[] y = new double[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) {
            PlannerResult r = bench.synthetic(spec.withPods(SIZES[i]));
            progress.accept(String.format(Locale.ROOT, "sweep: %,d pods planned in %.1f ms (p50)", r.pods(), r.p50Millis()));
            points.add(r);
            x[i] = r.pods();
            y[i] = r.p50Millis();
            if (SIZES[i] == spec.pods()) {
                main = r;
            }
        }
        if (main == null) {
            main = bench.synthetic(spec);
        }
        return new Result(List.copyOf(points), main, Stats.logLogSlope(x, y));
    }
}
