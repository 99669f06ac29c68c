package io.archscaler.sandbox;

import io.archscaler.cli.ArchscalerCommand;
import io.archscaler.cli.CliException;
import io.archscaler.cli.OutputFormat;
import io.archscaler.controlplane.ControlPlaneBinaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code archscaler demo}: the whole pipeline on an embedded sandbox with a scripted workload. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the controller against an in-process Kubernetes API and simulated node groups,",
                "play a mixed-arch workload, print progress and a summary. Ends by itself in about a minute and a half.",
                "With --control-plane, the same script on a real Kubernetes control plane."})
public final class DemoCommand extends ArchscalerCommand {
    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "port for /metrics, /status, /healthz, /readyz on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "FACTOR",
            description = "divide the simulated delays and the script's pauses by this (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--keep-running", description = "stay up after the summary so Prometheus can scrape it")
    boolean keepRunning;

    @Option(names = "--control-plane", description = {"run on a real control plane (etcd, kube-apiserver, kube-scheduler,",
            "kube-controller-manager, kwok; built by tools/control-plane/install, named by -D" + ControlPlaneBinaries.PROPERTY,
            "or " + ControlPlaneBinaries.ENV + ") and, when tools/prometheus-adapter/install has built it, the real HPA chain"})
    boolean controlPlane;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class,
            description = "table, or json to add the summary as one JSON object on the last line (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Override
    protected int run() {
        if (!(speed > 0 && speed <= 100)) {
            throw new ParameterException(spec.commandLine(), "--speed must be above 0 and at most 100");
        }
        Demo.Options options = new Demo.Options(httpPort, speed, keepRunning, output == OutputFormat.JSON, out());
        Demo demo;
        if (controlPlane) {
            ControlPlaneBinaries binaries;
            try {
                binaries = ControlPlaneBinaries.locate();
            } catch (IllegalStateException e) {
                err().println("demo --control-plane: " + e.getMessage());
                err().println(ControlPlaneBinaries.HOW_TO_BUILD);
                err().flush();
                return 2;
            }
            demo = new Demo(options, (vertx, clock, say) -> ControlPlaneDemoCluster.open(binaries, vertx, clock, say));
        } else {
            demo = new Demo(options);
        }
        DemoSummary summary;
        try {
            summary = demo.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("demo interrupted", e);
        } catch (Exception e) {
            throw new CliException("demo failed: " + e.getMessage(), e);
        }
        DemoSnapshot.PodCount scheduled = summary.peak().scheduled();
        return scheduled.count() == scheduled.total() ? 0 : 1;
    }
}
