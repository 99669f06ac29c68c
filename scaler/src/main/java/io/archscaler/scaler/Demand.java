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

    @Override
    public String toString() {
        return "Demand[cpu=" + cpu + ", memory=" + memory + ", ephemeral=" + ephemeral + ", extended="
                + Arrays.toString(extended) + "]";
    }
}
