package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.kube.KubeSnapshot;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.ScalePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code archscaler plan}: what the planner would do for a cluster snapshot taken with kubectl. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the scale plan for a cluster snapshot, without touching any cluster.",
                "Take the snapshot with: kubectl get nodes,pods -A -o yaml > state.yaml"})
public final class PlanCommand extends ArchscalerCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Option(names = {"-s", "--state"}, required = true, paramLabel = "FILE",
            description = "output of kubectl get nodes,pods -A -o yaml (or -o json)")
    Path state;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, description = "json or table (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Option(names = "--resolve-images",
            description = "look up the platforms of pending pods' images in their registries (off: plan works offline)")
    boolean resolveImages;

    @Override
    protected int run() {
        ArchscalerConfig cfg = ConfigLoader.standard().load(config);
        ClusterStateFile.ClusterState cluster = ClusterStateFile.read(state);
        ClusterSnapshot snapshot;
        try {
            snapshot = KubeSnapshot.of(cfg.nodeGroups(), cfg.scaleUp().limits(), cluster.nodes(), cluster.pods());
        } catch (io.archscaler.kube.KubeTranslationException e) {
            throw new CliException(state + ": " + e.getMessage(), e);
        }
        if (resolveImages) {
            snapshot = SnapshotImages.resolve(snapshot, cluster.pods(), cfg.images());
        }
        ScalePlan plan = new Planner().plan(snapshot);
        if (output == OutputFormat.JSON) {
            out().println(PlanOutput.json(plan).encodePrettily());
        } else {
            out().print(PlanOutput.table(plan));
        }
        out().flush();
        return 0;
    }
}
