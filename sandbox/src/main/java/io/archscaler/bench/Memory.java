package io.archscaler.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after a collection, and the bytes the current thread has allocated so far. */
public final class Memory {
    private static final double MIB = 1024.0 * 1024.0;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.ThreadMXBean threads;

    public Memory() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        threads = t instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                ? sun : null;
        if (threads != null && !threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    /** MiB of heap in use after a full collection (two, so finalizable objects go too). */
    public double heapAfterGcMiB() {
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed() / MIB;
    }

    /** Bytes allocated by the calling thread since it started, or -1 when the JVM cannot tell. */
    public long allocatedBytes() {
        return threads == null ? -1 : threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
