package io.archscaler.providers;

import io.archscaler.cloud.aws.interruption.InterruptionQueue;
import io.archscaler.cloud.aws.interruption.SqsInterruptionQueue;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.ProviderException;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.cloud.resilience.CircuitListener;
import io.archscaler.cloud.resilience.MeteredNodeGroupProvider;
import io.archscaler.cloud.resilience.ProviderCallObserver;
import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.cloud.resilience.ResilientNodeGroupProvider;
import io.archscaler.cloud.simulated.SimulatedProvider;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigException;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds the provider of every configured node group and runs discovery once: each provider
 * ({@code eks}, {@code asg}, {@code ec2}, {@code clusterapi}, {@code simulated}) is seen through
 * its {@link GroupMapping}, metered, and guarded by resilience, innermost first:
 * {@code Resilient(Metered(Mapped(provider)))}, so every attempt is metered and circuits are
 * kept by Archscaler's group names. {@link #build} blocks until every provider has answered
 * {@code nodeGroups()}: call it at startup, never on an event loop.
 */
public final class ProviderFactory {
    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final double speed;
    private final ProviderCallObserver observer;
    private final CircuitListener circuitListener;
    private final ResiliencePolicy policy;
    private final AwsCredentialsProvider awsCredentials;
    private final InstanceTypeCatalog catalog;

    /**
     * @param client    the cluster's API, for Cluster API groups and simulated nodes; may be null when
     *                  no group needs it (the {@code groups} command without Cluster API groups)
     * @param scheduler runs the resilience timers (backoff, timeouts, rate-limit waits, half-open)
     * @param speed     divides simulated delays (the demo's {@code --speed})
     */
    public ProviderFactory(KubernetesClient client, ScheduledExecutorService scheduler, double speed) {
        this(client, scheduler, speed, ProviderCallObserver.NOOP, CircuitListener.NOOP, ResiliencePolicy.defaults(),
                null, InstanceTypeCatalog.bundled());
    }

    private ProviderFactory(KubernetesClient client, ScheduledExecutorService scheduler, double speed,
                            ProviderCallObserver observer, CircuitListener circuitListener, ResiliencePolicy policy,
                            AwsCredentialsProvider awsCredentials, InstanceTypeCatalog catalog) {
        this.client = client;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.speed = speed;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.circuitListener = Objects.requireNonNull(circuitListener, "circuitListener");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.awsCredentials = awsCredentials;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Every provider call is reported to {@code o} (the app backs it with MetricsObservers.providerCalls). */
    public ProviderFactory withObserver(ProviderCallObserver o) {
        return new ProviderFactory(client, scheduler, speed, o, circuitListener, policy, awsCredentials, catalog);
    }

    public ProviderFactory withCircuitListener(CircuitListener l) {
        return new ProviderFactory(client, scheduler, speed, observer, l, policy, awsCredentials, catalog);
    }

    public ProviderFactory withPolicy(ResiliencePolicy p) {
        return new ProviderFactory(client, scheduler, speed, observer, circuitListener, p, awsCredentials, catalog);
    }

    /** AWS credentials for tools and tests; without, the SDK's default chain (IRSA, pod identity, environment, profile). */
    public ProviderFactory withAwsCredentials(AwsCredentialsProvider c) {
        return new ProviderFactory(client, scheduler, speed, observer, circuitListener, policy, c, catalog);
    }

    /**
     * The node groups of the config and of its discovery, each with its provider.
     *
     * @throws ConfigException   when the config cannot be served (two groups naming one provider
     *                           group, a provider reporting another arch than configured, a name
     *                           discovered twice)
     * @throws ProviderException when a provider cannot be asked (bad credentials, unreachable
     *                           endpoint, missing permission) or does not know a configured group
     */
    public ProviderSet build(ArchscalerConfig config) {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            List<ProviderSource> sources = new ArrayList<>();
            Optional<SimulatedProvider> simulated = simulated(config).map(s -> {
                sources.add(s.source());
                return s.provider();
            });
            if (AwsProviders.needed(config)) {
                AwsProviders aws = new AwsProviders(config, awsCredentials, catalog, policy.callTimeout());
                owned.add(aws);
                sources.addAll(aws.sources());
            }
            if (ClusterApiProviders.needed(config)) {
                ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "archscaler-clusterapi");
                    t.setDaemon(true);
                    return t;
                });
                owned.add(blocking::shutdown);
                sources.addAll(ClusterApiProviders.sources(config, client, blocking));
            }
            return assemble(config, sources, simulated, owned);
        } catch (RuntimeException e) {
            owned.forEach(ProviderFactory::closeQuietly);
            throw e;
        }
    }

    /**
     * The reader's view of {@code aws.interruptionQueue}, over the SQS client of the config's region
     * (and {@code aws.endpoints.sqs}) with this factory's credentials; empty when none is configured.
     */
    public Optional<InterruptionQueue> interruptionQueue(ArchscalerConfig config) {
        return config.aws().interruptionQueue().map(q -> SqsInterruptionQueue.create(
                AwsProviders.clientConfig(config.aws()), config.aws().endpoints().sqs().orElse(null), q.url(),
                awsCredentials));
    }

    private record Simulated(SimulatedProvider provider, ProviderSource source) {
    }

    private Optional<Simulated> simulated(ArchscalerConfig config) {
        Map<NodeGroup, Duration> delays = new LinkedHashMap<>();
        Map<String, NodeGroupConfig> byName = new LinkedHashMap<>();
        for (NodeGroupConfig g : config.nodeGroups()) {
            if (g.settings() instanceof ProviderSettings.Simulated s) {
                delays.put(g.toNodeGroup(0), Duration.ofMillis((long) (s.registrationDelay().toMillis() / speed)));
                byName.put(g.name(), g);
            }
        }
        if (delays.isEmpty()) {
            return Optional.empty();
        }
        SimulatedProvider p = new SimulatedProvider(client, scheduler, delays);
        return Optional.of(new Simulated(p, ProviderSource.configured(p,
                GroupMapping.configured(SimulatedProvider.ID, byName))));
    }

    private ProviderSet assemble(ArchscalerConfig config, List<ProviderSource> sources,
                                 Optional<SimulatedProvider> simulated, List<AutoCloseable> owned) {
        List<ResilientNodeGroupProvider> guarded = new ArrayList<>();
        List<CompletableFuture<List<NodeGroup>>> answers = new ArrayList<>();
        for (ProviderSource s : sources) {
            ResilientNodeGroupProvider p = new ResilientNodeGroupProvider(new MeteredNodeGroupProvider(
                    new MappedNodeGroupProvider(s.provider(), s.mapping()), observer), policy, scheduler,
                    circuitListener);
            guarded.add(p);
            answers.add(p.nodeGroups().toCompletableFuture());
        }
        Map<String, NodeGroup> configured = new LinkedHashMap<>();
        Map<String, NodeGroupProvider> providerOf = new LinkedHashMap<>();
        Map<String, NodeGroup> discovered = new LinkedHashMap<>();
        Map<String, ProviderSource> discoveredBy = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            ProviderSource source = sources.get(i);
            for (NodeGroup g : await(source.provider().id(), answers.get(i))) {
                providerOf.putIfAbsent(g.name(), guarded.get(i));
                if (source.mapping().isConfigured(g.name())) {
                    configured.put(g.name(), g);
                    continue;
                }
                ProviderSource first = discoveredBy.putIfAbsent(g.name(), source);
                if (first != null) {
                    throw new ConfigException("node group name " + g.name() + " is discovered by both "
                            + first.provider().id() + " and " + source.provider().id()
                            + "; list one of them under nodeGroups with a name of its own");
                }
                discovered.put(g.name(), g);
            }
        }
        Map<NodeGroup, NodeGroupProvider> byGroup = new LinkedHashMap<>();
        List<NodeGroupConfig> memberships = new ArrayList<>();
        for (NodeGroupConfig c : config.nodeGroups()) {
            NodeGroup g = configured.get(c.name());
            if (g == null) {
                throw notReported(c, sources);
            }
            byGroup.put(g, providerOf.get(c.name()));
            memberships.add(c);
        }
        discovered.forEach((name, g) -> {
            byGroup.put(g, providerOf.get(name));
            memberships.add(asConfig(g, discoveredBy.get(name).discoveredSettings().apply(name)));
        });
        return new ProviderSet(byGroup, guarded, simulated, NodeGroupMembership.of(memberships),
                new TreeSet<>(discovered.keySet()), owned);
    }

    /** The wait for one provider's first answer: every attempt, every backoff, and some slack. */
    private Duration discoveryWait() {
        ResiliencePolicy.Backoff b = policy.backoff();
        return policy.callTimeout().plus(b.max()).multipliedBy(b.maxAttempts()).plusSeconds(5);
    }

    private List<NodeGroup> await(String provider, CompletableFuture<List<NodeGroup>> answer) {
        Duration wait = discoveryWait();
        try {
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(provider, "nodeGroups", "interrupted while discovering node groups", e);
        } catch (TimeoutException e) {
            throw new ProviderException(provider, "nodeGroups", "no answer within " + wait.toSeconds() + "s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new ProviderException(provider, "nodeGroups", String.valueOf(cause), cause);
        }
    }

    private static ProviderException notReported(NodeGroupConfig c, List<ProviderSource> sources) {
        ProviderSource source = sources.stream().filter(s -> s.mapping().isConfigured(c.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no provider built for node group " + c.name()));
        String providerName = source.mapping().providerNameOfConfigured(c.name());
        String what = providerName;
        if (c.settings() instanceof ProviderSettings.Eks e) {
            what = "EKS node group " + e.nodegroupName() + " in cluster " + e.clusterName();
        } else if (c.settings() instanceof ProviderSettings.Asg a) {
            what = "Auto Scaling group " + a.name();
        } else if (c.settings() instanceof ProviderSettings.ClusterApi k) {
            what = k.kind() + " " + k.namespace() + "/" + k.name() + " with the min/max-size annotations";
        }
        return new ProviderException(source.provider().id(), "nodeGroups", "node group " + c.name() + ": no " + what
                + " (or its instance type is unknown; see the warnings above)", null);
    }

    /** A discovered group written as the config entry that would have named it, for node membership. */
    static NodeGroupConfig asConfig(NodeGroup g, ProviderSettings settings) {
        return new NodeGroupConfig(g.name(), settings.type(), g.arch(),
                new NodeGroupConfig.Scaling(g.minSize(), g.maxSize(), g.weight()),
                new NodeGroupConfig.NodeShape(g.instanceType(), g.pricePerHour(), g.template().allocatable(),
                        g.template().labels(), g.template().taints(), g.capacityType()), settings, Set.of());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }
}
