package io.archscaler.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time by part of the process between two moments: each live thread's time, grouped by what
 * its name says it does; whatever the process used beyond its Java threads (the garbage
 * collector, the JIT compiler) is its own group.
 */
final class ThreadCpu {
    static final String JVM = "JVM (garbage collector, JIT compiler)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Function<String, String> group;
    private final List<String> order;
    private Map<Long, Long> start;
    private long processStart;

    /** {@code group} names the part a thread belongs to; {@code order} lists the parts for the report. */
    ThreadCpu(Function<String, String> group, List<String> order) {
        this.group = group;
        this.order = order;
    }

    void start() {
        start = perThread();
        processStart = processCpuNanos();
    }

    /** Milliseconds of cpu by part since {@link #start}, in the given order, the JVM's own last. */
    Map<String, Long> stop() {
        long process = processCpuNanos() - processStart;
        Map<String, Long> byPart = new LinkedHashMap<>();
        order.forEach(p -> byPart.put(p, 0L));
        long threadsTotal = 0;
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = threads.getThreadCpuTime(info.getThreadId());
                if (now < 0) {
                    continue;
                }
                long used = now - start.getOrDefault(info.getThreadId(), 0L);
                threadsTotal += used;
                byPart.merge(group.apply(info.getThreadName()), used, Long::sum);
            }
        }
        byPart.put(JVM, Math.max(0, process - threadsTotal));
        byPart.replaceAll((k, v) -> v / 1_000_000);
        return byPart;
    }

    /** Cpu time of the whole process, or 0 when the JVM cannot tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private Map<Long, Long> perThread() {
        Map<Long, Long> out = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (long id : threads.getAllThreadIds()) {
                out.put(id, threads.getThreadCpuTime(id));
            }
        }
        return out;
    }
}
