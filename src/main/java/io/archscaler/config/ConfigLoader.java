package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.scaler.interruption.RebalanceMode;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the YAML configuration into an {@link ArchscalerConfig}, refusing anything it does not
 * understand with a {@link ConfigException} that names the file, line and key.
 */
public final class ConfigLoader {
    private static final Map<String, Arch> ARCHES = arches();
    private static final Map<String, RebalanceMode> REBALANCE_MODES = new LinkedHashMap<>(
            Map.of("record", RebalanceMode.RECORD));
    static {
        REBALANCE_MODES.put("act", RebalanceMode.ACT);
    }
    private static final String QUEUE_EXAMPLE = "https://sqs.us-west-2.amazonaws.com/123456789012/archscaler-interruptions";
    private final InstanceTypeCatalog catalog;
    private final Supplier<Optional<String>> podNamespace;

    /**
     * @param catalog      instance types a group may name to leave out arch, price and capacity
     * @param podNamespace the namespace Archscaler runs in, if known (the default for the lease)
     */
    public ConfigLoader(InstanceTypeCatalog catalog, Supplier<Optional<String>> podNamespace) {
        this.catalog = catalog;
        this.podNamespace = podNamespace;
    }

    /** A loader with the bundled catalog and the namespace of the pod it runs in. */
    public static ConfigLoader standard() {
        return new ConfigLoader(InstanceTypeCatalog.bundled(), PodNamespace::current);
    }

    public ArchscalerConfig load(Path file) {
        return parse(read(file), file.toString());
    }

    /**
     * Reads a fleet file ({@code clusters:} and/or {@code clustersDir:}); empty when the file is a
     * single-cluster config, which {@link #load} reads.
     */
    public Optional<FleetConfig> loadFleet(Path file) {
        String name = file.toString();
        Node root = compose(read(file), name);
        if (!FleetConfigParser.isFleet(YamlSection.root(name, root))) {
            return Optional.empty();
        }
        Path dir = file.toAbsolutePath().getParent();
        return Optional.of(new FleetConfigParser(this, dir).parse(YamlSection.root(name, root)));
    }

    /** Parses fleet text; relative paths in it are resolved against {@code baseDir}. */
    public FleetConfig parseFleet(String yaml, String fileName, Path baseDir) {
        return new FleetConfigParser(this, baseDir).parse(YamlSection.root(fileName, compose(yaml, fileName)));
    }

    /** One file of a fleet's {@code clustersDir}: one cluster entry over the fleet's shared sections. */
    public FleetCluster loadFleetCluster(Path file, FleetConfig fleet) {
        String name = file.toString();
        return new FleetConfigParser(this, file.toAbsolutePath().getParent())
                .cluster(YamlSection.root(name, compose(read(file), name)), fleet.shared());
    }

    /** The cluster files of a fleet's {@code clustersDir}: its {@code *.yaml} and {@code *.yml} files, in name order. */
    public static List<Path> clusterFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static String read(Path file) {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(name + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage(), e);
        }
        return text;
    }

    /** Parses configuration text; {@code fileName} is what error messages call it. */
    public ArchscalerConfig parse(String yaml, String fileName) {
        Node root = compose(yaml, fileName);
        YamlSection r = YamlSection.root(fileName, root)
                .requireKnown("cluster", "nodeGroups", "scaleUp", "scaleDown", "kafka", "http", "aws", "leaderElection",
                        "images", "registries", "webhook", "prometheus", "discovery", "expander");
        String cluster = r.string("cluster");
        DiscoveryConfig discovery = discovery(r.sectionOrEmpty("discovery"), cluster);
        return new ArchscalerConfig(cluster,
                nodeGroups(r, cluster, discovery),
                scaleUp(r.sectionOrEmpty("scaleUp")),
                scaleDown(r.sectionOrEmpty("scaleDown")),
                r.section("kafka").map(ConfigLoader::kafka),
                http(r.sectionOrEmpty("http")),
                aws(r.sectionOrEmpty("aws")),
                leaderElection(r.sectionOrEmpty("leaderElection")),
                ImagesConfigParser.images(r.sectionOrEmpty("images"), r.sectionOrEmpty("registries")),
                ImagesConfigParser.webhook(r.sectionOrEmpty("webhook")),
                r.section("prometheus").map(PrometheusSection::parse),
                discovery,
                r.section("expander").map(ExpanderConfig::parse));
    }

    /** The {@code nodeGroups} of a section (the file's root, or one cluster of a fleet). */
    List<NodeGroupConfig> nodeGroups(YamlSection s, String cluster, DiscoveryConfig discovery) {
        return new NodeGroupParser(catalog, cluster).parse(s, discovery.any());
    }

    /** The namespace this replica runs in, else the default one for Archscaler's own objects. */
    String ownNamespace() {
        return podNamespace.get().orElse(LeaderElectionConfig.DEFAULT_NAMESPACE);
    }

    /** {@code discovery: {eks: {clusterName}, asg: {clusterName | tags}, clusterapi: {namespace, defaultArch}}}. */
    static DiscoveryConfig discovery(YamlSection s, String cluster) {
        s.requireKnown("eks", "asg", "clusterapi");
        Optional<DiscoveryConfig.Eks> eks = s.section("eks").map(e -> {
            e.requireKnown("clusterName");
            return new DiscoveryConfig.Eks(e.string("clusterName", cluster));
        });
        Optional<DiscoveryConfig.Asg> asg = s.section("asg").map(a -> {
            a.requireKnown("clusterName", "tags");
            List<String> tags = a.strings("tags");
            if (a.has("tags") && a.has("clusterName")) {
                throw a.error("tags", "give either tags or clusterName, not both");
            }
            if (a.has("tags") && tags.isEmpty()) {
                throw a.error("tags", "at least one tag is required (or give clusterName instead)");
            }
            for (String tag : tags) {
                if (tag.isBlank() || tag.startsWith("=")) {
                    throw a.error("tags", "expected tag keys such as k8s.io/cluster-autoscaler/enabled, or key=value"
                            + " (got \"" + tag + "\")");
                }
            }
            return new DiscoveryConfig.Asg(a.string("clusterName", cluster), tags);
        });
        Optional<DiscoveryConfig.ClusterApi> clusterapi = s.section("clusterapi").map(c -> {
            c.requireKnown("namespace", "defaultArch");
            return new DiscoveryConfig.ClusterApi(c.optionalString("namespace").filter(n -> !n.isBlank()),
                    c.choice("defaultArch", ARCHES, Arch.AMD64));
        });
        return new DiscoveryConfig(eks, asg, clusterapi);
    }

    private static Map<String, Arch> arches() {
        Map<String, Arch> m = new LinkedHashMap<>();
        for (Arch a : Arch.values()) {
            m.put(a.label(), a);
        }
        return m;
    }

    static Node compose(String yaml, String fileName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            Node root = new Yaml(options).compose(new StringReader(yaml));
            if (root == null) {
                throw new ConfigException(fileName + ": the file is empty");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 1 : mark.getLine() + 1;
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            String context = e.getContext() != null && e.getProblem() != null ? " (" + e.getContext() + ")" : "";
            throw ConfigException.at(fileName, line, null, "invalid YAML: " + problem + context);
        } catch (YAMLException e) {
            throw new ConfigException(fileName + ": invalid YAML: " + e.getMessage(), e);
        }
    }

    static ScaleUpConfig scaleUp(YamlSection s) {
        s.requireKnown("batchIdle", "batchMax", "maxNodesTotal", "maxCoresTotal", "maxMemoryTotal",
                "maxNodeProvisionTime", "backoffInitial", "backoffMax", "headroomTtl", "failureCheckInterval",
                "offeringUnavailableFor");
        ScaleUpConfig d = ScaleUpConfig.DEFAULTS;
        Duration batchIdle = s.duration("batchIdle", d.batchIdle());
        Duration batchMax = s.positiveDuration("batchMax", d.batchMax());
        if (batchIdle.compareTo(batchMax) > 0) {
            throw s.error("batchIdle", "must not be longer than batchMax (" + Durations.format(batchMax) + ")");
        }
        int maxNodesTotal = s.count("maxNodesTotal", Math.toIntExact(d.limits().maxNodesTotal()));
        ClusterLimits limits = new ClusterLimits(maxNodesTotal, s.optionalCount("maxCoresTotal").orElse(Long.MAX_VALUE),
                s.quantity("maxMemoryTotal").orElse(Long.MAX_VALUE));
        Duration provision = s.positiveDuration("maxNodeProvisionTime", d.maxNodeProvisionTime());
        Duration backoffInitial = s.positiveDuration("backoffInitial", d.backoffInitial());
        Duration backoffMax = s.positiveDuration("backoffMax", d.backoffMax());
        if (backoffInitial.compareTo(backoffMax) > 0) {
            throw s.error("backoffInitial", "must not be longer than backoffMax (" + Durations.format(backoffMax) + ")");
        }
        Duration offeringOut = s.positiveDuration("offeringUnavailableFor", d.offeringUnavailableFor());
        Duration headroomTtl = s.positiveDuration("headroomTtl", d.headroomTtl());
        Duration failureCheck = s.positiveDuration("failureCheckInterval", d.failureCheckInterval());
        return new ScaleUpConfig(new ScaleUpConfig.Batching(batchIdle, batchMax), limits,
                new ScaleUpConfig.Provisioning(provision, failureCheck),
                new ScaleUpConfig.Backoff(backoffInitial, backoffMax, offeringOut), headroomTtl);
    }

    static ScaleDownConfig scaleDown(YamlSection s) {
        s.requireKnown("enabled", "utilizationThreshold", "unneededTime", "delayAfterAdd", "delayAfterFailure",
                "consolidate", "maxDisruptedNodes", "maxGracefulTermination", "maxScaleDownParallelism", "restore");
        ScaleDownConfig d = ScaleDownConfig.DEFAULTS;
        // read in the keys' documented order, so a file with several mistakes hears of the first one
        boolean enabled = s.bool("enabled", d.enabled());
        double threshold = s.decimal("utilizationThreshold", d.utilizationThreshold(), 0, 1);
        ScaleDownConfig.Delays delays = new ScaleDownConfig.Delays(s.duration("unneededTime", d.unneededTime()),
                s.duration("delayAfterAdd", d.delayAfterAdd()), s.duration("delayAfterFailure", d.delayAfterFailure()));
        ScaleDownConfig.Candidates candidates = new ScaleDownConfig.Candidates(threshold,
                s.bool("consolidate", d.consolidate()), nodeBudget(s, "maxDisruptedNodes", d.maxDisruptedNodes()));
        ScaleDownConfig.Removal removal = new ScaleDownConfig.Removal(
                s.duration("maxGracefulTermination", d.maxGracefulTermination()),
                s.between("maxScaleDownParallelism", d.maxScaleDownParallelism(), 1, Integer.MAX_VALUE));
        return new ScaleDownConfig(enabled, candidates, delays, removal, restore(s.sectionOrEmpty("restore")));
    }

    /** {@code scaleDown.restore: {enabled, maxNodes, perInterval, interval, minSavingPerHour}}. */
    private static RestoreConfig restore(YamlSection s) {
        s.requireKnown("enabled", "maxNodes", "perInterval", "interval", "minSavingPerHour");
        RestoreConfig d = RestoreConfig.DEFAULTS;
        return new RestoreConfig(s.bool("enabled", d.enabled()), s.count("maxNodes", d.maxNodes()),
                s.count("perInterval", d.perInterval()), s.positiveDuration("interval", d.interval()),
                s.decimal("minSavingPerHour", d.minSavingPerHour(), 0, Double.MAX_VALUE));
    }

    private static NodeBudget nodeBudget(YamlSection s, String key, NodeBudget defaultValue) {
        Optional<String> text = s.optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String t = text.get().trim();
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1).trim() : t;
        if (digits.matches("[0-9]{1,9}")) {
            int n = Integer.parseInt(digits);
            if (!percent) {
                return NodeBudget.count(n);
            }
            if (n <= 100) {
                return NodeBudget.percent(n);
            }
        }
        throw s.error(key, "expected a node count or a percentage from 0% to 100% (got \"" + t + "\")");
    }

    static KafkaConfig kafka(YamlSection s) {
        s.requireKnown("bootstrapServers", "groupId", "topics", "maxEventBytes");
        YamlSection t = s.sectionOrEmpty("topics")
                .requireKnown("podEvents", "metricEvents", "decisions", "deadLetter");
        KafkaConfig.Topics d = KafkaConfig.Topics.DEFAULTS;
        KafkaConfig.Topics topics = new KafkaConfig.Topics(t.string("podEvents", d.podEvents()),
                t.string("metricEvents", d.metricEvents()), t.string("decisions", d.decisions()),
                t.string("deadLetter", d.deadLetter()));
        long maxEventBytes = s.quantity("maxEventBytes").orElse(1L << 20);
        if (maxEventBytes <= 0) {
            throw s.error("maxEventBytes", "must be more than 0");
        }
        if (maxEventBytes > Integer.MAX_VALUE) {
            // the Kafka clients take record sizes as int; a larger value would wrap around
            throw s.error("maxEventBytes", "must be at most " + Integer.MAX_VALUE + " bytes (2Gi - 1), got " + maxEventBytes);
        }
        return new KafkaConfig(s.string("bootstrapServers"), s.string("groupId", "archscaler"), topics, maxEventBytes);
    }

    static HttpConfig http(YamlSection s) {
        s.requireKnown("port");
        return new HttpConfig(s.between("port", HttpConfig.DEFAULTS.port(), 0, 65535));
    }

    static AwsConfig aws(YamlSection s) {
        s.requireKnown("region", "endpoints", "interruptionQueue");
        YamlSection e = s.sectionOrEmpty("endpoints").requireKnown("eks", "ec2", "autoscaling", "sqs");
        return new AwsConfig(s.optionalString("region"),
                new AwsConfig.Endpoints(url(e, "eks"), url(e, "ec2"), url(e, "autoscaling"), url(e, "sqs")),
                interruptionQueue(s));
    }

    /** {@code interruptionQueue: URL}, or {@code interruptionQueue: {url: URL, rebalance: record|act}}. */
    private static Optional<AwsConfig.InterruptionQueue> interruptionQueue(YamlSection s) {
        if (!s.isMapping("interruptionQueue")) {
            return url(s, "interruptionQueue", QUEUE_EXAMPLE)
                    .map(u -> new AwsConfig.InterruptionQueue(u, RebalanceMode.RECORD));
        }
        YamlSection q = s.section("interruptionQueue").orElseThrow().requireKnown("url", "rebalance");
        URI url = url(q, "url", QUEUE_EXAMPLE).orElseThrow(() -> q.missing("url"));
        return Optional.of(new AwsConfig.InterruptionQueue(url,
                q.choice("rebalance", REBALANCE_MODES, RebalanceMode.RECORD)));
    }

    private static Optional<URI> url(YamlSection s, String key) {
        return url(s, key, "https://eks.us-west-2.amazonaws.com");
    }

    private static Optional<URI> url(YamlSection s, String key, String example) {
        Optional<String> text = s.optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw s.error(key, "expected an http or https URL such as " + example + " (got \""
                + text.get() + "\")");
    }

    private LeaderElectionConfig leaderElection(YamlSection s) {
        s.requireKnown("enabled", "namespace", "leaseName", "leaseDuration", "renewDeadline", "retryPeriod");
        Duration lease = s.positiveDuration("leaseDuration", Duration.ofSeconds(15));
        Duration renew = s.positiveDuration("renewDeadline", Duration.ofSeconds(10));
        Duration retry = s.positiveDuration("retryPeriod", Duration.ofSeconds(2));
        if (renew.compareTo(lease) >= 0) {
            throw s.error("renewDeadline", "must be shorter than leaseDuration (" + Durations.format(lease) + ")");
        }
        if (retry.compareTo(renew) >= 0) {
            throw s.error("retryPeriod", "must be shorter than renewDeadline (" + Durations.format(renew) + ")");
        }
        String namespace = s.optionalString("namespace")
                .orElseGet(() -> podNamespace.get().orElse(LeaderElectionConfig.DEFAULT_NAMESPACE));
        return new LeaderElectionConfig(s.bool("enabled", true), namespace,
                s.string("leaseName", LeaderElectionConfig.DEFAULT_LEASE_NAME), lease, renew, retry);
    }
}
