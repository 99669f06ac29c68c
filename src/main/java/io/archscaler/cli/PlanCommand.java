package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ScaleDownConfig;
import io.archscaler.kube.KubeScaleDown;
import io.archscaler.kube.KubeSnapshot;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.restore.RestorePlan;
import io.archscaler.scaler.scaledown.ScaleDownInput;
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
                "Scale-downs are planned as if the snapshot had held for scaleDown.unneededTime.",
                "Moves of amd64 nodes to arm64 (scaleDown.restore) are planned with no move in progress."})
public final class PlanCommand extends ArchscalerCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Option(names = {"-s", "--state"}, required = true, paramLabel = "FILE",
            description = "output of kubectl get nodes,pods -A -o yaml (or -o json)")
    Path state;

    @Option(names = "--cluster", paramLabel = "NAME", description = "with a fleet config: the cluster the snapshot is of")
    String cluster;

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
        ArchscalerConfig cfg = ClusterSelection.of(ConfigLoader.standard(), config, cluster).config();
        ClusterStateFile.ClusterState cluster = ClusterStateFile.read(state);
        ScalePlan plan;
        RestorePlan restores = RestorePlan.NONE;
        try {
            ClusterSnapshot snapshot = KubeSnapshot.of(cfg.nodeGroups(), cfg.scaleUp().limits(), cluster.nodes(),
                    cluster.pods());
            ScaleDownInput workloads = KubeScaleDown.input(snapshot, cluster.nodes(), cluster.pods(), cluster.pdbs());
            if (resolveImages) {
                SnapshotImages images = SnapshotImages.lookUp(cluster.pods(), cfg.images());
                snapshot = images.resolve(snapshot);
                workloads = images.resolve(workloads);
            }
            plan = new Planner().plan(snapshot);
            ScaleDownConfig down = cfg.scaleDown();
            // as in the controller, nothing is removed or moved while pending pods wait for capacity
            if (down.enabled() && plan.scaleUps().isEmpty() && plan.onExistingCapacity().isEmpty()) {
                Instant now = KubeScaleDown.newestTimestamp(cluster.nodes(), cluster.pods()).orElse(clock.instant());
                plan = withScaleDowns(plan, down, snapshot, workloads, now);
                if (down.restore().enabled()) {
                    restores = PlanRestores.plan(cfg, snapshot, workloads, plan.scaleDowns(), now);
                }
            }
        } catch (io.archscaler.kube.KubeTranslationException e) {
            throw new CliException(state + ": " + e.getMessage(), e);
        }
        if (output == OutputFormat.JSON) {
            out().println(PlanOutput.json(plan, restores).encodePrettily());
        } else {
            out().print(PlanOutput.table(plan, restores));
        }
        out().flush();
        return 0;
    }

    /**
     * Adds the nodes scale-down would remove, treating the snapshot as if it had held for
     * unneededTime, at the newest time it records.
     */
    private static ScalePlan withScaleDowns(ScalePlan plan, ScaleDownConfig cfg, ClusterSnapshot snapshot,
                                            ScaleDownInput workloads, Instant now) {
        ScaleDownRules rules = new ScaleDownRules(cfg.utilizationThreshold(), cfg.unneededTime(), cfg.delayAfterAdd(),
                cfg.delayAfterFailure(), cfg.consolidate(), cfg.maxDisruptedNodes().of(snapshot.nodes().size()));
        UnneededTracker steady = new UnneededTracker(Clock.fixed(now.minus(cfg.unneededTime()), ZoneOffset.UTC));
        var scaleDowns = new ScaleDownPlanner(rules).plan(workloads, steady, now).scaleDowns();
        return new ScalePlan(plan.scaleUps(), plan.unschedulable(), scaleDowns, plan.onExistingCapacity());
    }
}
