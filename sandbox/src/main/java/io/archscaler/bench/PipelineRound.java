package io.archscaler.bench;

import io.archscaler.events.Decision;
import io.archscaler.scaler.model.ScalePlan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One batch of pod events on their way through the pipeline: when each was produced, when the
 * broker took it, when the controller had applied it (the scaler replied to the
 * event-bus request that carried it), and when a plan or decision first covered it. Each is
 * written on one thread and read after the matching {@code await} returns.
 */
final class PipelineRound {
    private final Map<String, Integer> index;
    final long[] producedNanos;
    final long[] appliedNanos;
    final long[] coveredNanos;
    /** When the batch of the plan that covered the pod closed. */
    final long[] batchClosedNanos;
    private final CountDownLatch acked;
    private final CountDownLatch applied;
    private final CountDownLatch covered;
    private volatile int plans;
    private volatile int decisions;
    private volatile long nodesRequested;

    PipelineRound(List<String> keys) {
        int n = keys.size();
        index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(keys.get(i), i);
        }
        producedNanos = new long[n];
        appliedNanos = new long[n];
        coveredNanos = new long[n];
        batchClosedNanos = new long[n];
        acked = new CountDownLatch(n);
        applied = new CountDownLatch(n);
        covered = new CountDownLatch(n);
    }

    int size() {
        return producedNanos.length;
    }

    /** On the producer's I/O thread: the broker took one more of the round's events. */
    void acked() {
        acked.countDown();
    }

    boolean awaitAcked(long timeoutMillis) throws InterruptedException {
        return acked.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** On the observer's event loop: a plan was made; its pods on existing or in-flight room are covered. */
    void plan(ScalePlan plan, long batchClosed, long now) {
        plans++;
        for (String key : plan.onExistingCapacity()) {
            cover(key, batchClosed, now);
        }
    }

    /** On the observer's event loop: a requested scale-up covers the pods it lists. */
    void decision(Decision d, long batchClosed, long now) {
        if (!Decision.SCALE_UP.equals(d.action()) || !Decision.REQUESTED.equals(d.outcome())) {
            return;
        }
        decisions++;
        nodesRequested += d.to() - d.from();
        for (String key : d.pods()) {
            cover(key, batchClosed, now);
        }
    }

    private void cover(String key, long batchClosed, long now) {
        Integer i = index.get(key);
        if (i != null && coveredNanos[i] == 0) {
            coveredNanos[i] = now;
            batchClosedNanos[i] = batchClosed;
            covered.countDown();
        }
    }

    boolean awaitCovered(long timeoutMillis) throws InterruptedException {
        return covered.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    long coveredCount() {
        return size() - covered.getCount();
    }

    int plans() {
        return plans;
    }

    int decisions() {
        return decisions;
    }

    long nodesRequested() {
        return nodesRequested;
    }

    /** On the scaler's event loop, as it replies to a batch: the batch's events are applied. */
    void applied(List<String> keys, long now) {
        for (String key : keys) {
            Integer i = index.get(key);
            if (i != null && appliedNanos[i] == 0) {
                appliedNanos[i] = now;
                applied.countDown();
            }
        }
    }

    boolean awaitApplied(long timeoutMillis) throws InterruptedException {
        return applied.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
