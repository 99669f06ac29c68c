package io.archscaler.readiness;

import io.archscaler.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code archscaler readiness ...} as Main runs it: exit code, stdout and stderr. */
record ReadinessRun(int exitCode, String out, String err) {
    static ReadinessRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "readiness";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cmd.execute(all);
        return new ReadinessRun(code, out.toString(), err.toString());
    }
}
