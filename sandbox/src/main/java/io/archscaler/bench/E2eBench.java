package io.archscaler.bench;

import io.archscaler.controlplane.ControlPlaneBinaries;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code bench --e2e}: bursts of pending pods on the real control plane, each run on a fresh one,
 * every size {@code runs} times; see {@link E2eRun} for one run and {@link E2eResult} for the report.
 */
public final class E2eBench {
    private final List<Integer> sizes;
    private final int runs;
    private final Duration registrationDelay;
    private final double clientQps;
    private final boolean baseline;
    private final Consumer<String> progress;

    /**
     * {@code baseline}: no Archscaler, nodes registered before each burst, so what is timed is kube-scheduler's
     * binding alone.
     */
    public E2eBench(List<Integer> sizes, int runs, Duration registrationDelay, double clientQps, boolean baseline,
                    Consumer<String> progress) {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1 || n > 60_000)) {
            throw new IllegalArgumentException("--e2e-pods takes sizes from 1 to 60,000 (got " + sizes + ")");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1 (got " + runs + ")");
        }
        this.sizes = List.copyOf(sizes);
        this.runs = runs;
        this.registrationDelay = registrationDelay;
        this.clientQps = clientQps;
        this.baseline = baseline;
        this.progress = progress;
    }

    /** Runs every size on control planes started from {@code binaries}. */
    public E2eResult run(ControlPlaneBinaries binaries) throws InterruptedException {
        List<List<E2eRound>> bySize = new ArrayList<>();
        for (int n : sizes) {
            List<E2eRound> rounds = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                progress.accept(String.format(Locale.ROOT, "e2e: %,d pods, run %d of %d (registration delay %d ms, load %.2f)",
                        n, r, runs, registrationDelay.toMillis(), Machine.loadAverage()));
                E2eRound round = new E2eRun(new E2eRun.Setup(n, registrationDelay, clientQps, baseline, binaries), progress).run();
                progress.accept(String.format(Locale.ROOT, "e2e: %,d pods, run %d: all bound %.2f s and all Running %.2f s after"
                                + " the last Unschedulable (less the delay); %.3f requests a pod; load %.2f",
                        n, r, round.waits().toAllBound(), round.waits().toAllRunning(), round.requests().perPod(),
                        round.load()[1]));
                rounds.add(round);
            }
            bySize.add(rounds);
        }
        return new E2eResult(baseline ? Duration.ZERO : registrationDelay, clientQps, baseline, bySize);
    }
}
