package io.archscaler.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU time by part of the process between two moments: each live thread's time, grouped by what
 * its name says it does; whatever the process used beyond its Java threads is the JVM's, split
 * into the garbage collector and the JIT compiler where Linux tells each thread's time
 * ({@code /proc/self/task/<tid>/schedstat}).
 */
final class ThreadCpu {
    static final String GC = "JVM garbage collector";
    static final String JIT = "JVM JIT compiler";
    static final String JVM = "JVM other (threads that ended, JFR, ...)";
    private static final Path TASKS = Path.of("/proc/self/task");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Function<String, String> group;
    private final List<String> order;
    private Map<Long, Long> start;
    private Map<String, Long> vmStart;
    private long processStart;

    /** {@code group} names the part a thread belongs to; {@code order} lists the parts for the report. */
    ThreadCpu(Function<String, String> group, List<String> order) {
        this.group = group;
        this.order = order;
    }

    void start() {
        start = perThread();
        vmStart = vmThreads();
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
        Map<String, Long> vm = vmThreads();
        long gc = vm.getOrDefault(GC, 0L) - vmStart.getOrDefault(GC, 0L);
        long jit = vm.getOrDefault(JIT, 0L) - vmStart.getOrDefault(JIT, 0L);
        byPart.put(GC, gc);
        byPart.put(JIT, jit);
        byPart.put(JVM, Math.max(0, process - threadsTotal - gc - jit));
        byPart.replaceAll((k, v) -> v / 1_000_000);
        return byPart;
    }

    /** Cpu time of the whole process, or 0 when the JVM cannot tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Nanoseconds on the cpu so far of the collector's and the compiler's threads, which Java does not list. */
    private static Map<String, Long> vmThreads() {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String part = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC : null;
                    if (part != null) {
                        long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                        out.merge(part, nanos, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile, or the kernel keeps no schedstat: its time stays in JVM other
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
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
