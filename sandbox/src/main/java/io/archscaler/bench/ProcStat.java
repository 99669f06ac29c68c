package io.archscaler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's cpu time from {@code /proc/<pid>/stat} (utime + stime), for the control plane's processes and the controller's. */
final class ProcStat {
    /** Clock ticks a second, {@code getconf CLK_TCK}: 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStat() {
    }

    /** Seconds of cpu (user and system) the process has used; -1 when it is gone or /proc cannot tell. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name in parentheses may hold spaces: fields are counted after its closing one
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the whole line, 12th and 13th after the name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
