package io.archscaler.sandbox;

import io.archscaler.Main;
import io.archscaler.bench.BenchCommand;
import picocli.CommandLine;

/** Entry point of {@code ./archscaler}: the product's commands plus {@code demo} and {@code bench}. */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The product's command line with the sandbox's commands added. */
    public static CommandLine commandLine() {
        return Main.commandLine(new DemoCommand(), new BenchCommand());
    }
}
