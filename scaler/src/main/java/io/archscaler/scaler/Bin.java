package io.archscaler.scaler;

/**
 * A run of {@code count} nodes that all have the same free room: packing fills a whole run in
 * one arithmetic step, so a thousand identical new nodes cost as much as one.
 */
final class Bin {
    long cpu;
    long memory;
    long ephemeral;
    long pods;
    final long[] extended;
    long count;

    Bin(long cpu, long memory, long ephemeral, long pods, long[] extended, long count) {
        this.cpu = cpu;
        this.memory = memory;
        this.ephemeral = ephemeral;
        this.pods = pods;
        this.extended = extended;
        this.count = count;
    }

    /** How many pods of the demand one node of this run can still take. */
    long fits(Demand d) {
        long n = pods;
        if (d.cpu > 0) {
            n = Math.min(n, cpu / d.cpu);
        }
        if (d.memory > 0) {
            n = Math.min(n, memory / d.memory);
        }
        if (d.ephemeral > 0) {
            n = Math.min(n, ephemeral / d.ephemeral);
        }
        for (int i = 0; i < extended.length; i++) {
            if (d.extended[i] > 0) {
                n = Math.min(n, extended[i] / d.extended[i]);
            }
        }
        return Math.max(n, 0);
    }

    /** Puts {@code n} pods of the demand on each node of the run. */
    void take(Demand d, long n) {
        cpu -= n * d.cpu;
        memory -= n * d.memory;
        ephemeral -= n * d.ephemeral;
        pods -= n;
        for (int i = 0; i < extended.length; i++) {
            extended[i] -= n * d.extended[i];
        }
    }

    /** Writes {@code [-cpu, -memory, -ephemeral, -pods, -extended...]}, so "fits" reads "at most". */
    void negatedFree(long[] out) {
        out[0] = -cpu;
        out[1] = -memory;
        out[2] = -ephemeral;
        out[3] = -pods;
        for (int i = 0; i < extended.length; i++) {
            out[4 + i] = -extended[i];
        }
    }

    /** Writes the free room (never below zero) as the query for demands that fit it. */
    void roomQuery(long[] out) {
        out[0] = Math.max(0, cpu);
        out[1] = Math.max(0, memory);
        out[2] = Math.max(0, ephemeral);
        out[3] = Math.max(0, pods);
        for (int i = 0; i < extended.length; i++) {
            out[4 + i] = Math.max(0, extended[i]);
        }
    }

    /** A run of {@code newCount} nodes with the same free room as this one. */
    Bin copy(long newCount) {
        return new Bin(cpu, memory, ephemeral, pods, extended.clone(), newCount);
    }
}
