package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Fleet files: what they give, and every way one is refused with its file, line and key. */
class FleetConfigTest {
    private static final Path BASE = Path.of("/etc/archscaler");
    private static final String KAFKA = """
            kafka: {bootstrapServers: "kafka:9092"}
            """;
    private static final String GROUPS = """
                nodeGroups:
                  - name: arm
                    provider: simulated
                    arch: arm64
                    maxSize: 10
                    capacity: {cpu: "2", memory: 8Gi, pods: 29}
            """;

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    @Test
    void aFleetFileGivesEachClusterTheSharedSectionsWithItsOwnNameGroupsAndOverrides() {
        FleetConfig fleet = loader.parseFleet(KAFKA + """
                scaleUp: {batchIdle: 2s}
                http: {port: 9090}
                fleet: {sessionTimeout: 8s}
                clusters:
                  - name: edge-1
                    kubeconfig: kube/edge-1.yaml
                """ + GROUPS + """
                  - name: edge-2
                    clusterApi: {namespace: capi, name: edge-2}
                    scaleUp: {batchIdle: 5s, batchMax: 20s}
                """ + GROUPS + """
                  - name: tenant-a
                    kubeconfigSecret: {namespace: archscaler, name: tenant-a}
                """ + GROUPS, "fleet.yaml", BASE);

        assertThat(fleet.clusters()).extracting(FleetCluster::name).containsExactly("edge-1", "edge-2", "tenant-a");
        FleetCluster one = fleet.cluster("edge-1").orElseThrow();
        assertThat(one.access()).isEqualTo(new ClusterAccess.KubeconfigFile(Path.of("/etc/archscaler/kube/edge-1.yaml")));
        assertThat(one.config().cluster()).isEqualTo("edge-1");
        assertThat(one.config().nodeGroupNames()).containsExactly("arm");
        assertThat(one.config().scaleUp().batchIdle()).isEqualTo(Duration.ofSeconds(2));
        assertThat(one.config().http().port()).isEqualTo(9090);
        assertThat(one.config().leaderElection().enabled()).as("partition ownership replaces the lease").isFalse();
        FleetCluster two = fleet.cluster("edge-2").orElseThrow();
        assertThat(two.access()).isEqualTo(new ClusterAccess.ClusterApi("capi", "edge-2"));
        assertThat(((ClusterAccess.ClusterApi) two.access()).secretName()).isEqualTo("edge-2-kubeconfig");
        assertThat(two.config().scaleUp().batchIdle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fleet.cluster("tenant-a").orElseThrow().access())
                .isEqualTo(new ClusterAccess.KubeconfigSecret("archscaler", "tenant-a", "value"));
        assertThat(fleet.fleet().sessionTimeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(fleet.fleet().scaleUpsTopic()).isEqualTo("archscaler.fleet-scaleups");
        assertThat(fleet.kafka().groupId()).isEqualTo("archscaler");
    }

    @Test
    void aSingleClusterFileIsNotAFleetAndLoadsAsBefore(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "cluster: prod\n" + GROUPS.indent(-4));
        assertThat(loader.loadFleet(file)).isEmpty();
        assertThat(loader.load(file).cluster()).isEqualTo("prod");
    }

    @Test
    void aClustersDirFileIsOneClusterOverTheFleetsSharedSections(@TempDir Path dir) throws IOException {
        Path fleetFile = dir.resolve("fleet.yaml");
        Files.writeString(fleetFile, KAFKA + "clustersDir: clusters.d\n");
        Files.createDirectories(dir.resolve("clusters.d"));
        Path one = dir.resolve("clusters.d/edge-7.yaml");
        Files.writeString(one, "name: edge-7\nkubeconfig: edge-7.kubeconfig\n" + GROUPS.indent(-4));
        FleetConfig fleet = loader.loadFleet(fleetFile).orElseThrow();
        assertThat(fleet.clustersDir()).contains(dir.resolve("clusters.d"));
        FleetCluster c = loader.loadFleetCluster(one, fleet);
        assertThat(c.name()).isEqualTo("edge-7");
        assertThat(c.access()).isEqualTo(new ClusterAccess.KubeconfigFile(dir.resolve("clusters.d/edge-7.kubeconfig")));
        Files.writeString(one, "name: edge-7\nkubeconfig: x\nnodeGroups:\n  - name: arm\n    provider: simulated\n    arch: arm64\n    maxSize: -1\n");
        assertThatThrownBy(() -> loader.loadFleetCluster(one, fleet)).isInstanceOf(ConfigException.class)
                .hasMessage(one + ":7: nodeGroups[0].maxSize: must not be negative (got -1)");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("no kafka", """
                        clusters: []
                        """, "fleet.yaml:1: kafka: required in a fleet file: Kafka partitions decide which replica serves"
                        + " which cluster"),
                arguments("no clusters at all", KAFKA + """
                        clusters: []
                        """, "fleet.yaml:2: clusters: list at least one cluster, or give clustersDir"),
                arguments("a top-level cluster name", KAFKA + """
                        cluster: prod
                        clusters: []
                        """, "fleet.yaml:2: cluster: a fleet file gives each cluster's name and node groups under"
                        + " clusters: (or in clustersDir), not at the top level"),
                arguments("a key a fleet does not take", KAFKA + """
                        leaderElection: {enabled: true}
                        clusters: []
                        """, "fleet.yaml:2: leaderElection: unknown key (expected one of: clusters, clustersDir, scaleUp,"
                        + " scaleDown, kafka, http, aws, images, registries, fleet)"),
                arguments("no way to reach a cluster", KAFKA + """
                        clusters:
                          - name: edge-1
                        """ + GROUPS, "fleet.yaml:3: clusters[0]: say how to reach the cluster: kubeconfig: FILE,"
                        + " kubeconfigSecret: {namespace, name, key} or clusterApi: {namespace, name}"),
                arguments("two ways to reach a cluster", KAFKA + """
                        clusters:
                          - name: edge-1
                            kubeconfig: a.yaml
                            clusterApi: {name: edge-1}
                        """ + GROUPS, "fleet.yaml:5: clusters[0].clusterApi: give one of kubeconfig, kubeconfigSecret,"
                        + " clusterApi (kubeconfig is given too)"),
                arguments("a cluster listed twice", KAFKA + """
                        clusters:
                          - name: edge-1
                            kubeconfig: a.yaml
                        """ + GROUPS + """
                          - name: edge-1
                            kubeconfig: b.yaml
                        """ + GROUPS, "fleet.yaml:11: clusters[1].name: cluster edge-1 is listed twice (first on line 3)"),
                arguments("a name that cannot key a record", KAFKA + """
                        clusters:
                          - name: edge/1
                            kubeconfig: a.yaml
                        """ + GROUPS, "fleet.yaml:3: clusters[0].name: expected letters, digits, '.', '_' or '-' (it keys"
                        + " Kafka records; got \"edge/1\")"),
                arguments("an unknown key in a cluster", KAFKA + """
                        clusters:
                          - name: edge-1
                            kubeconfig: a.yaml
                            leaderElection: {enabled: false}
                        """ + GROUPS, "fleet.yaml:5: clusters[0].leaderElection: unknown key (expected one of: name,"
                        + " kubeconfig, kubeconfigSecret, clusterApi, nodeGroups, scaleUp, scaleDown, discovery)"),
                arguments("a node group without its arch in a cluster", KAFKA + """
                        clusters:
                          - name: edge-1
                            kubeconfig: a.yaml
                            nodeGroups:
                              - name: arm
                                provider: simulated
                                maxSize: 2
                        """, "fleet.yaml:6: clusters[0].nodeGroups[0].arch: required (give arch or an instanceType from"
                        + " the bundled catalog)"),
                arguments("a secret without a name", KAFKA + """
                        clusters:
                          - name: edge-1
                            kubeconfigSecret: {namespace: ns}
                        """ + GROUPS, "fleet.yaml:4: clusters[0].kubeconfigSecret.name: required"),
                arguments("a session timeout the broker refuses", KAFKA + """
                        fleet: {sessionTimeout: 2s}
                        clustersDir: d
                        """, "fleet.yaml:2: fleet.sessionTimeout: must be from 6s to 30m (got 2s)"),
                arguments("an interruption queue", KAFKA + """
                        aws: {interruptionQueue: "https://sqs.us-west-2.amazonaws.com/1/q"}
                        clustersDir: d
                        """, "fleet.yaml:2: aws.interruptionQueue: not served in fleet mode (one queue would feed every"
                        + " cluster); run a single-cluster Archscaler for clusters that read one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithFileLineAndKey(String what, String yaml, String message) {
        assertThatThrownBy(() -> loader.parseFleet(yaml, "fleet.yaml", BASE)).isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
