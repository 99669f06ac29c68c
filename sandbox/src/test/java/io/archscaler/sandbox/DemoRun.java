package io.archscaler.sandbox;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code archscaler demo} as a user runs it: its exit code, what it printed, and its JSON summary. */
record DemoRun(int exit, StringWriter out, StringWriter err, JsonObject summary, double seconds) {
    /** Runs the demo with {@code args} (which end in {@code --output json}). */
    static DemoRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SandboxMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        long started = System.nanoTime();
        int exit = cmd.execute(args);
        double seconds = (System.nanoTime() - started) / 1e9;
        String[] lines = out.toString().trim().split("\n");
        return new DemoRun(exit, out, err, new JsonObject(lines[lines.length - 1]), seconds);
    }
}
