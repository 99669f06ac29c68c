package io.archscaler.fleet;

import java.util.concurrent.CompletionStage;

/** Admits a cluster's cloud calls only while this replica provably owns the cluster. */
public interface ScaleUpFence {
    /**
     * Records the intent and completes once it is committed under this replica's current
     * generation; fails with {@link FencedException} when the broker or the replica's own state
     * says the cluster is no longer (or not surely) its own.
     */
    CompletionStage<Void> admit(String cluster, String nodeGroup, int delta, int targetSize);

    /** Whether other calls (scale-down) may go on: the consumer polled within the session timeout and owns the cluster. */
    boolean owns(String cluster);
}
