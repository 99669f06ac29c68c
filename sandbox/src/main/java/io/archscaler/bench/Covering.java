package io.archscaler.bench;

import io.archscaler.controller.DecisionSink;
import io.archscaler.controller.PlanSink;
import io.archscaler.events.Decision;
import io.archscaler.scaler.model.ScalePlan;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Plans and the decisions they led to, on the scaling loop's context, which tells of a plan
 * before its decisions: a decision is timed from the batch of the plan just seen.
 */
final class Covering implements PlanSink, DecisionSink {
    private final AtomicReference<PipelineRound> current;
    private long lastBatchClosed;

    Covering(AtomicReference<PipelineRound> current) {
        this.current = current;
    }

    @Override
    public void planned(ScalePlan plan, long batchClosedNanos) {
        long now = System.nanoTime();
        lastBatchClosed = batchClosedNanos;
        PipelineRound r = current.get();
        if (r != null) {
            r.plan(plan, batchClosedNanos, now);
        }
    }

    @Override
    public void accept(Decision d) {
        long now = System.nanoTime();
        PipelineRound r = current.get();
        if (r != null) {
            r.decision(d, lastBatchClosed, now);
        }
    }
}
