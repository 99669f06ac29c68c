package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ScaleDownConfig;
import io.archscaler.kube.KubeScaleDown;
import io.archscaler.kube.KubeSnapshot;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.scaledown.ScaleDownPlanner;
import io.archscaler.scaler.scaledown.ScaleDownRules;
import io.archscaler.scaler.scaledown.UnneededTracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** {@code archscaler plan}: what the planner would do for a cluster snapshot taken with kubectl. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the scale plan for a cluster snapshot, without touching any cluster.",
                "Take the snapshot with: kubectl get nodes,pods,pdb -A -o yaml > state.yaml",
                "Scale-downs are planned as if the snapshot had held for scaleDown.unneededTime."})
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

    private final Clock clock;

    public PlanCommand() {
        this(Clock.systemUTC());
    }

    /** {@code clock} tells the time when the snapshot carries no timestamp of its own. */
    PlanCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected int run() {
        ArchscalerConfig cfg = ConfigLoader.standard().load(config);
        ClusterStateFile.ClusterState cluster = ClusterStateFile.read(state);
        ScalePlan plan;
        try {
            ClusterSnapshot snapshot = KubeSnapshot.of(cfg.nodeGroups(), cfg.scaleUp().limits(), cluster.nodes(),
                    cluster.pods());
            if (resolveImages) {
                snapshot = SnapshotImages.resolve(snapshot, cluster.pods(), cfg.images());
            }
            plan = withScaleDowns(new Planner().plan(snapshot), cfg.scaleDown(), snapshot, cluster);
        } catch (io.archscaler.kube.KubeTranslationException e) {
            throw new CliException(state + ": " + e.getMessage(), e);
        }
        if (output == OutputFormat.JSON) {
            out().println(PlanOutput.json(plan).encodePrettily());
        } else {
            out().print(PlanOutput.table(plan));
        }
        out().flush();
        return 0;
    }

    /**
     * Adds the nodes scale-down would remove, treating the snapshot as if it had held for
     * unneededTime, at the newest time it records. As in the controller, nothing is removed while
     * pending pods wait for new or free capacity.
     */
    private ScalePlan withScaleDowns(ScalePlan plan, ScaleDownConfig cfg, ClusterSnapshot snapshot,
                                     ClusterStateFile.ClusterState cluster) {
        if (!cfg.enabled() || !plan.scaleUps().isEmpty() || !plan.onExistingCapacity().isEmpty()) {
            return plan;
        }
        Instant now = KubeScaleDown.newestTimestamp(cluster.nodes(), cluster.pods()).orElse(clock.instant());
        ScaleDownRules rules = new ScaleDownRules(cfg.utilizationThreshold(), cfg.unneededTime(), cfg.delayAfterAdd(),
                cfg.delayAfterFailure(), cfg.consolidate(), cfg.maxDisruptedNodes().of(snapshot.nodes().size()));
        UnneededTracker steady = new UnneededTracker(Clock.fixed(now.minus(cfg.unneededTime()), ZoneOffset.UTC));
        var scaleDowns = new ScaleDownPlanner(rules)
                .plan(KubeScaleDown.input(snapshot, cluster.nodes(), cluster.pods(), cluster.pdbs()), steady, now)
                .scaleDowns();
        return new ScalePlan(plan.scaleUps(), plan.unschedulable(), scaleDowns, plan.onExistingCapacity());
    }
}
