package io.archscaler.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a fleet file: the shared sections of a single-cluster config (Kafka required) plus
 * {@code clusters:} (a list) and/or {@code clustersDir:} (one file per cluster). Each cluster has a
 * {@code name}, exactly one way to be reached ({@code kubeconfig}, {@code kubeconfigSecret} or
 * {@code clusterApi}), its {@code nodeGroups}, and optionally its own {@code scaleUp},
 * {@code scaleDown} and {@code discovery}, which replace the fleet's. Errors name file, line and key.
 */
final class FleetConfigParser {
    /** A cluster's name goes into Kafka keys and event-bus addresses: no slash, no space. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final String[] SHARED = {"clusters", "clustersDir", "scaleUp", "scaleDown", "kafka", "http", "aws",
            "images", "registries", "fleet"};
    private static final String[] CLUSTER = {"name", "kubeconfig", "kubeconfigSecret", "clusterApi", "nodeGroups",
            "scaleUp", "scaleDown", "discovery"};

    private final ConfigLoader loader;
    private final Path baseDir;

    FleetConfigParser(ConfigLoader loader, Path baseDir) {
        this.loader = loader;
        this.baseDir = baseDir;
    }

    /** A fleet file is one that lists clusters or names a directory of them. */
    static boolean isFleet(YamlSection root) {
        return root.has("clusters") || root.has("clustersDir");
    }

    FleetConfig parse(YamlSection r) {
        if (r.has("cluster") || r.has("nodeGroups")) {
            String key = r.has("cluster") ? "cluster" : "nodeGroups";
            throw r.error(key, "a fleet file gives each cluster's name and node groups under clusters:"
                    + " (or in clustersDir), not at the top level");
        }
        r.requireKnown(SHARED);
        KafkaConfig kafka = r.section("kafka").map(ConfigLoader::kafka)
                .orElseThrow(() -> r.error("kafka", "required in a fleet file: Kafka partitions decide which replica serves which cluster"));
        AwsConfig aws = ConfigLoader.aws(r.sectionOrEmpty("aws"));
        if (aws.interruptionQueue().isPresent()) {
            throw r.sectionOrEmpty("aws").error("interruptionQueue", "not served in fleet mode (one queue would feed every"
                    + " cluster); run a single-cluster Archscaler for clusters that read one");
        }
        // a fleet replica acts for what its partitions say, never by lease: election stays off
        LeaderElectionConfig noElection = new LeaderElectionConfig(false, loader.ownNamespace(),
                LeaderElectionConfig.DEFAULT_LEASE_NAME, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        ArchscalerConfig shared = new ArchscalerConfig("", List.of(), ConfigLoader.scaleUp(r.sectionOrEmpty("scaleUp")),
                ConfigLoader.scaleDown(r.sectionOrEmpty("scaleDown")), Optional.of(kafka),
                ConfigLoader.http(r.sectionOrEmpty("http")), aws, noElection,
                ImagesConfigParser.images(r.sectionOrEmpty("images"), r.sectionOrEmpty("registries")),
                new WebhookConfig(false, WebhookConfig.DEFAULTS.port(), Optional.empty(), Optional.empty(),
                        WebhookConfig.DEFAULTS.timeout()), Optional.empty(), DiscoveryConfig.NONE, Optional.empty());
        List<FleetCluster> clusters = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (YamlSection c : r.sections("clusters")) {
            FleetCluster cluster = cluster(c, shared);
            Integer first = seen.putIfAbsent(cluster.name(), c.lineOf("name"));
            if (first != null) {
                throw c.error("name", "cluster " + cluster.name() + " is listed twice (first on line " + first + ")");
            }
            clusters.add(cluster);
        }
        Optional<Path> dir = r.optionalString("clustersDir").map(d -> {
            if (d.isBlank()) {
                throw r.error("clustersDir", "expected a directory of per-cluster files");
            }
            return baseDir.resolve(d).normalize();
        });
        if (clusters.isEmpty() && dir.isEmpty()) {
            throw r.error("clusters", "list at least one cluster, or give clustersDir");
        }
        return new FleetConfig(shared, kafka, fleet(r.sectionOrEmpty("fleet")), clusters, dir);
    }

    /** {@code fleet: {sessionTimeout, scaleUpsTopic, metricWindow}}. */
    private static FleetConfig.Fleet fleet(YamlSection s) {
        s.requireKnown("sessionTimeout", "scaleUpsTopic", "metricWindow");
        FleetConfig.Fleet d = FleetConfig.Fleet.DEFAULTS;
        Duration session = s.positiveDuration("sessionTimeout", d.sessionTimeout());
        if (session.compareTo(Duration.ofSeconds(6)) < 0 || session.compareTo(Duration.ofMinutes(30)) > 0) {
            // the broker's group.min/max.session.timeout.ms defaults: outside them the group refuses the member
            throw s.error("sessionTimeout", "must be from 6s to 30m (got " + Durations.format(session) + ")");
        }
        return new FleetConfig.Fleet(session, s.string("scaleUpsTopic", d.scaleUpsTopic()),
                s.positiveDuration("metricWindow", d.metricWindow()));
    }

    /** One cluster entry (an item of {@code clusters:}, or the root of a file of {@code clustersDir}). */
    FleetCluster cluster(YamlSection c, ArchscalerConfig shared) {
        c.requireKnown(CLUSTER);
        String name = c.string("name");
        if (!NAME.matcher(name).matches()) {
            throw c.error("name", "expected letters, digits, '.', '_' or '-' (it keys Kafka records; got \"" + name + "\")");
        }
        ClusterAccess access = access(c);
        DiscoveryConfig discovery = ConfigLoader.discovery(c.sectionOrEmpty("discovery"), name);
        ScaleUpConfig up = c.has("scaleUp") ? ConfigLoader.scaleUp(c.sectionOrEmpty("scaleUp")) : shared.scaleUp();
        ScaleDownConfig down = c.has("scaleDown") ? ConfigLoader.scaleDown(c.sectionOrEmpty("scaleDown")) : shared.scaleDown();
        return new FleetCluster(name, access,
                shared.forCluster(name, loader.nodeGroups(c, name, discovery), discovery, up, down), c.file());
    }

    private ClusterAccess access(YamlSection c) {
        List<String> given = new ArrayList<>();
        for (String key : List.of("kubeconfig", "kubeconfigSecret", "clusterApi")) {
            if (c.has(key)) {
                given.add(key);
            }
        }
        if (given.isEmpty()) {
            throw c.error("say how to reach the cluster: kubeconfig: FILE, kubeconfigSecret: {namespace, name, key}"
                    + " or clusterApi: {namespace, name}");
        }
        if (given.size() > 1) {
            throw c.error(given.get(1), "give one of kubeconfig, kubeconfigSecret, clusterApi (" + given.get(0)
                    + " is given too)");
        }
        return switch (given.get(0)) {
            case "kubeconfig" -> {
                String file = c.string("kubeconfig");
                if (file.isBlank()) {
                    throw c.error("kubeconfig", "expected a kubeconfig file");
                }
                yield new ClusterAccess.KubeconfigFile(baseDir.resolve(file).normalize());
            }
            case "kubeconfigSecret" -> {
                YamlSection s = c.section("kubeconfigSecret").orElseThrow().requireKnown("namespace", "name", "key");
                yield new ClusterAccess.KubeconfigSecret(s.string("namespace"), s.string("name"),
                        s.string("key", "value"));
            }
            default -> {
                YamlSection s = c.section("clusterApi").orElseThrow().requireKnown("namespace", "name");
                yield new ClusterAccess.ClusterApi(s.string("namespace", "default"), s.string("name"));
            }
        };
    }
}
