package io.archscaler.cli;

import io.archscaler.config.ConfigException;
import io.archscaler.kube.KubeTranslationException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of every subcommand: runs it and turns input errors (config, files, Kubernetes objects)
 * into {@code archscaler: message} on stderr and exit code 1, however the command line was built.
 */
public abstract class ArchscalerCommand implements Callable<Integer> {
    public static final int EXIT_INPUT_ERROR = 1;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ConfigException | CliException | KubeTranslationException e) {
            err().println("archscaler: " + e.getMessage());
            err().flush();
            return EXIT_INPUT_ERROR;
        }
    }

    /** The command's work; returns the exit code. */
    protected abstract int run();

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
