package io.archscaler.bench;

import java.util.Map;

/** What one round of the pipeline benchmark measured, and the result it gives. */
record MeasuredRound(PipelineRound round, int n, long startNanos, long producedNanos, long lastAppliedNanos,
                     boolean complete, Map<String, Long> cpuByPart) {
    double eventsPerSecond() {
        long span = lastAppliedNanos - startNanos;
        return span <= 0 ? 0 : n / (span / 1e9);
    }

    PipelineResult result(int warmup, double rate, int groupsScaled) {
        double[] total = new double[n];
        double[] wait = new double[n];
        double[] beyond = new double[n];
        double[] transit = new double[n];
        double[] decide = new double[n];
        int covered = 0;
        for (int i = 0; i < n; i++) {
            if (round.coveredNanos[i] == 0) {
                continue;
            }
            double t = (round.coveredNanos[i] - round.producedNanos[i]) / 1e6;
            double w = round.appliedNanos[i] == 0 ? 0
                    : Math.max(0, (round.batchClosedNanos[i] - round.appliedNanos[i]) / 1e6);
            total[covered] = t;
            wait[covered] = w;
            beyond[covered] = t - w;
            transit[covered] = round.appliedNanos[i] == 0 ? 0 : (round.appliedNanos[i] - round.producedNanos[i]) / 1e6;
            decide[covered] = (round.coveredNanos[i] - round.batchClosedNanos[i]) / 1e6;
            covered++;
        }
        total = java.util.Arrays.copyOf(total, covered);
        wait = java.util.Arrays.copyOf(wait, covered);
        beyond = java.util.Arrays.copyOf(beyond, covered);
        transit = java.util.Arrays.copyOf(transit, covered);
        decide = java.util.Arrays.copyOf(decide, covered);
        long cpuMillis = cpuByPart.values().stream().mapToLong(Long::longValue).sum();
        return new PipelineResult(n, warmup, PipelineBench.PARTITIONS, rate, complete, covered, eventsPerSecond(),
                n / Math.max(1e-9, (producedNanos - startNanos) / 1e9),
                PipelineResult.Percentiles.of(total), PipelineResult.Percentiles.of(beyond),
                PipelineResult.Percentiles.of(wait), PipelineResult.Percentiles.of(transit),
                PipelineResult.Percentiles.of(decide),
                PipelineBench.BATCH_IDLE.toMillis(), PipelineBench.BATCH_MAX.toMillis(), round.plans(), round.decisions(),
                round.nodesRequested(), groupsScaled, cpuMillis * 1e3 / n, (lastAppliedNanos - startNanos) / 1e6,
                cpuByPart, null);
    }
}
