package io.archscaler.controller;

import io.archscaler.scaler.model.ScalePlan;

/**
 * Somewhere plans are shown as they are made (the pipeline benchmark, the end-to-end tests); runs
 * on the scaling loop's context, before the plan's decisions, and must not block or throw.
 */
@FunctionalInterface
public interface PlanSink {
    /** {@code batchClosedNanos}: {@link System#nanoTime()} when the batch the plan was made for closed. */
    void planned(ScalePlan plan, long batchClosedNanos);
}
