package io.archscaler.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on: cores, memory, JDK, max heap and the load at the time. */
public final class Machine {
    private Machine() {
    }

    public static JsonObject describe() {
        Runtime rt = Runtime.getRuntime();
        JsonObject m = new JsonObject()
                .put("cores", rt.availableProcessors())
                .put("maxHeapMiB", rt.maxMemory() / (1024 * 1024))
                .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"))
                .put("loadAverage", loadAverage());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memoryMiB", os.getTotalMemorySize() / (1024 * 1024));
        }
        cpuModel().ifPresentOrElse(c -> m.put("cpu", c), () -> { });
        return m;
    }

    /** The one-minute load average now, to two decimals. */
    public static double loadAverage() {
        return Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    private static java.util.Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
