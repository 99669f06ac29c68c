package io.archscaler.bench;

import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * Times the real planner: a warm-up, then timed runs, each building the snapshot (a no-op for a
 * snapshot generated up front) and planning it; counts what the planning thread allocates over
 * the timed runs and the heap held once they are done.
 */
public final class PlannerBench {
    /** The JIT needs a few seconds of a workload before its timings settle: warm-up lasts at least this. */
    private static final long MIN_WARMUP_NANOS = 2_000_000_000L;

    private final Planner planner = new Planner();
    private final Memory memory = new Memory();
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private final int warmup;
    private final int runs;

    public PlannerBench(int warmup, int runs) {
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative (got " + warmup + ")");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1 (got " + runs + ")");
        }
        this.warmup = warmup;
        this.runs = runs;
    }

    /** Benchmarks planning a synthetic cluster of the spec. */
    public PlannerResult synthetic(BenchSpec spec) {
        ClusterSnapshot snapshot = SyntheticCluster.generate(spec);
        return measure("synthetic", () -> snapshot, spec.classes());
    }

    /**
     * Runs {@code build} and the planner {@code warmup} times (and for two seconds at least when
     * {@code warmup} is not 0), then {@code runs} times timed;
     * {@code classes} is reported as given.
     */
    public PlannerResult measure(String scenario, Supplier<ClusterSnapshot> build, int classes) {
        ClusterSnapshot snapshot = null;
        ScalePlan plan = null;
        long warmupEnds = System.nanoTime() + MIN_WARMUP_NANOS;
        for (int i = 0; i < warmup || (warmup > 0 && System.nanoTime() < warmupEnds); i++) {
            snapshot = build.get();
            plan = planner.plan(snapshot);
        }
        double[] millis = new double[runs];
        double[] cpuMillis = new double[runs];
        long allocatedBefore = memory.allocatedBytes();
        for (int i = 0; i < runs; i++) {
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            snapshot = build.get();
            plan = planner.plan(snapshot);
            millis[i] = (System.nanoTime() - start) / 1e6;
            cpuMillis[i] = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        long allocated = memory.allocatedBytes() - allocatedBefore;
        double heap = memory.heapAfterGcMiB();
        LowerBound.Bounds bounds = LowerBound.of(snapshot, plan);
        int pods = snapshot.pendingPods().size();
        long nodesPlanned = 0;
        int onNew = 0;
        for (ScaleUp up : plan.scaleUps()) {
            nodesPlanned += up.delta();
            onNew += up.pods().size();
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double m : millis) {
            min = Math.min(min, m);
            max = Math.max(max, m);
        }
        long perPod = allocatedBefore < 0 ? -1 : Math.round(allocated / (double) runs / Math.max(1, pods));
        return new PlannerResult(scenario, pods, snapshot.nodeGroups().size(), snapshot.nodes().size(), classes, runs,
                Stats.percentile(millis, 0.50), Stats.percentile(millis, 0.99), min, max,
                Stats.percentile(cpuMillis, 0.50), Stats.percentile(cpuMillis, 0.99), nodesPlanned,
                bounds.nodes(), bounds.volume(), onNew, plan.onExistingCapacity().size(), plan.unschedulable().size(),
                heap, perPod);
    }
}
