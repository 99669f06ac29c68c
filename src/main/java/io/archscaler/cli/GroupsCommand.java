package io.archscaler.cli;

import io.archscaler.cloud.ProviderException;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ClusterAccess;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.FleetCluster;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;
import io.archscaler.fleet.ClusterConnector;
import io.archscaler.providers.ProviderErrors;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code archscaler groups}: the node groups as Archscaler sees them after discovery, the first
 * check of a config and of the credentials it runs with. A provider that cannot be asked is one
 * line naming the provider, the call and the cloud's error code.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"List the node groups after discovery: provider, arch, sizes, template capacity, labels,"
                + " taints, price and weight.",
                "AWS credentials come from the SDK's default chain (environment, profile, IRSA, pod identity)."})
public final class GroupsCommand extends ArchscalerCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Archscaler configuration (YAML)")
    Path config;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "with a fleet config: the cluster whose node groups to list")
    String cluster;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, description = "json or table (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final AwsCredentialsProvider credentials;

    public GroupsCommand() {
        this(null);
    }

    /** @param credentials AWS credentials to use instead of the default chain (tests); null for the chain */
    GroupsCommand(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    @Override
    protected int run() {
        ClusterSelection selection = ClusterSelection.of(ConfigLoader.standard(), config, cluster);
        ArchscalerConfig cfg = selection.config();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "archscaler-groups");
            t.setDaemon(true);
            return t;
        });
        KubernetesClient client = needsKubernetes(cfg) ? clusterApiClient(selection) : null;
        try (ProviderSet providers = factory(client, scheduler).build(cfg)) {
            List<NodeGroup> groups = List.copyOf(providers.byGroup().keySet());
            if (output == OutputFormat.JSON) {
                out().println(GroupsOutput.json(groups, providers::discovered).encodePrettily());
            } else {
                out().print(GroupsOutput.table(groups, providers::discovered));
            }
            out().flush();
            return 0;
        } catch (ProviderException e) {
            throw new CliException(ProviderErrors.oneLine(e), e);
        } finally {
            scheduler.shutdownNow();
            if (client != null) {
                client.close();
            }
        }
    }

    private ProviderFactory factory(KubernetesClient client, ScheduledExecutorService scheduler) {
        ProviderFactory f = new ProviderFactory(client, scheduler, 1.0);
        return credentials == null ? f : f.withAwsCredentials(credentials);
    }

    /**
     * The cluster MachineDeployments are read in: the current kubeconfig's, which for a fleet
     * cluster reached through Cluster API is the management cluster, as for the fleet's replicas.
     */
    private static KubernetesClient clusterApiClient(ClusterSelection selection) {
        KubernetesClient own = new KubernetesClientBuilder().build();
        if (selection.fleet().isEmpty() || selection.fleet().get().access() instanceof ClusterAccess.ClusterApi) {
            return own;
        }
        FleetCluster c = selection.fleet().get();
        try (own) {
            return new ClusterConnector(own).connect(c.name(), c.access());
        }
    }

    private static boolean needsKubernetes(ArchscalerConfig cfg) {
        return cfg.discovery().clusterapi().isPresent() || cfg.nodeGroups().stream()
                .map(NodeGroupConfig::settings).anyMatch(s -> s instanceof ProviderSettings.ClusterApi);
    }
}
