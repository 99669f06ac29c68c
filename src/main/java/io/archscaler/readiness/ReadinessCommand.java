package io.archscaler.readiness;

import io.archscaler.cli.ArchscalerCommand;
import io.archscaler.cli.CliException;
import io.archscaler.cli.ClusterStateFile;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.images.RegistryConfig;
import io.archscaler.kube.KubeTranslationException;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.readiness.ImageSupport;
import io.archscaler.scaler.readiness.ReadinessPlanner;
import io.archscaler.scaler.readiness.ReadinessReport;
import io.archscaler.scaler.readiness.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code archscaler readiness}: which workloads of a cluster snapshot can move to arm64, what
 * blocks the others, and what each move is worth per month on the config's node groups.
 */
@Command(name = "readiness", mixinStandardHelpOptions = true,
        description = {"Report, workload by workload, whether it can run on arm64 and what moving it from amd64 saves.",
                "Take the snapshot with: kubectl get pods,deployments,statefulsets,daemonsets,jobs,nodes -A -o yaml > state.yaml",
                "Prices come from the config's node groups (pricePerHour and capacity)."})
public final class ReadinessCommand extends ArchscalerCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Option(names = {"-s", "--state"}, required = true, paramLabel = "SNAPSHOT",
            description = "output of kubectl get pods,deployments,statefulsets,daemonsets,jobs,nodes -A -o yaml (or -o json)")
    Path state;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = ReadinessFormat.Converter.class, description = "table, json or html (default: ${DEFAULT-VALUE})")
    ReadinessFormat output;

    @Option(names = "--no-resolve",
            description = "do not ask registries for the images' platforms: judge by the pod specs' arch constraints only (offline)")
    boolean noResolve;

    @Option(names = "--insecure", paramLabel = "HOST", arity = "1..*",
            description = "a registry spoken to over plain HTTP (repeatable), besides the config's registries.insecure")
    List<String> insecure = new ArrayList<>();

    @Override
    protected int run() {
        ArchscalerConfig cfg = ConfigLoader.standard().load(config);
        List<WorkloadSpec> specs;
        try {
            specs = SnapshotWorkloads.of(ClusterStateFile.objects(state), cfg.nodeGroups());
        } catch (KubeTranslationException e) {
            throw new CliException(state + ": " + e.getMessage(), e);
        }
        Set<String> images = new TreeSet<>();
        specs.forEach(s -> images.addAll(s.images()));
        Map<String, ImageSupport> support = noResolve ? ReadinessImages.notLookedUp(images)
                : ReadinessImages.lookUp(images, registries(cfg.images().registries()));
        List<Workload> workloads = specs.stream().map(s -> s.with(support)).toList();
        List<NodeGroup> groups = cfg.nodeGroups().stream().map(g -> g.toNodeGroup(0)).toList();
        ReadinessReport report = ReadinessPlanner.report(workloads, groups);
        switch (output) {
            case JSON -> out().println(ReadinessJson.of(cfg.cluster(), report).encodePrettily());
            case HTML -> out().print(ReadinessHtml.of(cfg.cluster(), report));
            default -> out().print(ReadinessTable.of(cfg.cluster(), report));
        }
        out().flush();
        return 0;
    }

    private RegistryConfig registries(RegistryConfig configured) {
        List<String> hosts = new ArrayList<>(configured.insecure());
        hosts.addAll(insecure);
        return configured.withInsecure(hosts);
    }
}
