package io.archscaler;

import io.archscaler.cli.ExpanderCommand;
import io.archscaler.cli.GroupsCommand;
import io.archscaler.cli.PlanCommand;
import io.archscaler.cli.RunCommand;
import io.archscaler.images.ImagesCommand;
import io.archscaler.readiness.ReadinessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * Entry point of the {@code archscaler} command: picocli dispatches to one class per subcommand.
 * The product's commands are these; the sandbox module's main adds {@code demo} and {@code bench}.
 */
@Command(name = "archscaler", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Event-driven node autoscaler for Kubernetes clusters that mix arm64 and amd64 nodes.",
        // one line per subcommand
        subcommands = {
                RunCommand.class,
                PlanCommand.class,
                ImagesCommand.class,
                GroupsCommand.class,
                ReadinessCommand.class,
                ExpanderCommand.class,
        })
public final class Main implements Runnable {
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    public Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@link #main} runs it, with {@code extraSubcommands} (picocli command
     * objects) after the product's own: usage errors read {@code archscaler: message}.
     */
    public static CommandLine commandLine(Object... extraSubcommands) {
        CommandLine cmd = new CommandLine(new Main());
        for (Object sub : extraSubcommands) {
            cmd.addSubcommand(sub);
        }
        // set after the subcommands are added: picocli hands a setting only to the subcommands present
        cmd.setParameterExceptionHandler(Main::usageError);
        return cmd;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing command (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("archscaler: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }

    /** The version Maven wrote into the jar; "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/io.archscaler/archscaler/pom.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"archscaler " + p.getProperty("version", "development build")};
        }
    }
}
