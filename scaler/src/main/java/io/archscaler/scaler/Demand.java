package io.archscaler.scaler;

import java.util.Arrays;

/**
 * One pod's requests as flat numbers (cpu millis, memory and ephemeral-storage bytes, extended
 * resources by {@link ResourceIndex} position); every pod also takes one pod slot.
 */
final class Demand {
    final long cpu;
    final long memory;
    final long ephemeral;
    final long[] extended;

    Demand(long cpu, long memory, long ephemeral, long[] extended) {
        this.cpu = cpu;
        this.memory = memory;
        this.ephemeral = ephemeral;
        this.extended = extended;
    }

    /** The smallest of each resource of the two: a demand no bigger than either. */
    Demand min(Demand o) {
        long[] ext = new long[extended.length];
        for (int i = 0; i < ext.length; i++) {
            ext[i] = Math.min(extended[i], o.extended[i]);
        }
        return new Demand(Math.min(cpu, o.cpu), Math.min(memory, o.memory), Math.min(ephemeral, o.ephemeral), ext);
    }

    /** The number of dimensions of the vectors below. */
    int dims() {
        return 4 + extended.length;
    }

    /** Writes {@code [cpu, memory, ephemeral, 1 pod, extended...]}. */
    void vector(long[] out) {
        out[0] = cpu;
        out[1] = memory;
        out[2] = ephemeral;
        out[3] = 1;
        System.arraycopy(extended, 0, out, 4, extended.length);
    }

    /**
     * Writes the query matching {@link Bin#negatedFree} vectors of nodes this demand fits:
     * a resource it does not ask for is no constraint.
     */
    void binQuery(long[] out) {
        out[0] = cpu > 0 ? -cpu : VectorTree.NEVER;
        out[1] = memory > 0 ? -memory : VectorTree.NEVER;
        out[2] = ephemeral > 0 ? -ephemeral : VectorTree.NEVER;
        out[3] = -1;
        for (int i = 0; i < extended.length; i++) {
            out[4 + i] = extended[i] > 0 ? -extended[i] : VectorTree.NEVER;
        }
    }

    @Override
    public String toString() {
        return "Demand[cpu=" + cpu + ", memory=" + memory + ", ephemeral=" + ephemeral + ", extended="
                + Arrays.toString(extended) + "]";
    }
}
