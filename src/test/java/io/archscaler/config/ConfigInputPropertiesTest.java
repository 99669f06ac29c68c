package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the configuration file holds, the loader returns a configuration or a
 * {@link ConfigException} whose message names the file; never another exception. A configuration
 * it accepts can be handed to the controller as it is. One instance for all tries, so the tallies
 * count every try.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigInputPropertiesTest {
    /** Every section the loader knows, with most of their keys. */
    static final String FULL = """
            cluster: prod
            nodeGroups:
              - name: arm-general
                provider: eks
                instanceType: m7g.large
                minSize: 1
                maxSize: 10
                weight: 100
                pricePerHour: 0.0816
                capacity: {cpu: "2", memory: 8Gi, pods: 29, nvidia.com/gpu: 0}
                labels: {workload: general}
                taints: [{key: arch, value: arm64, effect: NoSchedule}]
                eks: {clusterName: prod, nodegroupName: arm-general}
              - name: x86-asg
                provider: asg
                arch: amd64
                instanceType: m5.large
                maxSize: 5
                asg: {name: x86-asg}
              - name: metal
                provider: clusterapi
                arch: arm64
                maxSize: 4
                capacity: {cpu: "64", memory: 256Gi, pods: 110}
                clusterapi: {namespace: capi, name: metal-md, kind: MachineDeployment}
              - name: sim
                provider: simulated
                instanceType: m6i.large
                maxSize: 3
                simulated: {registrationDelay: 5s}
            scaleUp: {batchIdle: 1s, batchMax: 10s, maxNodesTotal: 100, maxCoresTotal: 400, maxMemoryTotal: 1Ti,
                      maxNodeProvisionTime: 15m, backoffInitial: 5m, backoffMax: 30m, headroomTtl: 5m}
            scaleDown: {enabled: true, utilizationThreshold: 0.5, unneededTime: 10m, delayAfterAdd: 10m}
            kafka:
              bootstrapServers: "kafka:9092"
              groupId: archscaler
              maxEventBytes: 1Mi
              topics: {podEvents: a.pods, metricEvents: a.metrics, decisions: a.decisions, deadLetter: a.dlq}
            http: {port: 8080}
            aws: {region: us-west-2, endpoints: {eks: "http://127.0.0.1:1"}}
            leaderElection: {enabled: true, namespace: archscaler, leaseName: archscaler, leaseDuration: 15s,
                             renewDeadline: 10s, retryPeriod: 2s}
            images: {resolve: true, onUnknown: assume-multiarch, evictMisplaced: false}
            registries: {insecure: [registry.local:5000], mirrors: {docker.io: [mirror.local:5000]}, ttl: 1h,
                         negativeTtl: 5m, timeout: 5s, maxConcurrent: 8}
            webhook: {enabled: true, port: 8443, timeout: 2s}
            prometheus:
              url: http://prometheus.monitoring:9090
              interval: 30s
              queries:
                - hpa: shop/checkout
                  metric: http_requests_per_second
                  query: 'sum(rate(http_requests_total{namespace="shop"}[2m]))'
            """;

    static final String EXAMPLE = """
            cluster: prod
            nodeGroups:
              - name: arm-general
                provider: eks
                instanceType: m7g.large
                minSize: 1
                maxSize: 10
                labels: {workload: general}
                eks: {clusterName: prod, nodegroupName: arm-general}
              - name: x86-general
                provider: eks
                instanceType: m5.large
                minSize: 1
                maxSize: 10
                labels: {workload: general}
                eks: {clusterName: prod, nodegroupName: x86-general}
            scaleUp:
              batchIdle: 1s
              batchMax: 10s
              maxNodesTotal: 100
              maxNodeProvisionTime: 15m
            scaleDown:
              enabled: true
              utilizationThreshold: 0.5
              unneededTime: 10m
              delayAfterAdd: 10m
            http: {port: 8080}
            aws: {region: us-west-2}
            """;

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), () -> Optional.of("archscaler"));
    private final InputTally random = new InputTally();
    private final InputTally mutated = new InputTally();

    @Test
    void theDocumentsMutatedAreValidConfigs() {
        assertThat(loader.parse(FULL, "full.yaml").nodeGroups()).hasSize(4);
        assertThat(loader.parse(EXAMPLE, "example.yaml").nodeGroups()).hasSize(2);
    }

    @Test
    void aKafkaEventSizeTheKafkaClientCannotTakeIsRefused() {
        String yaml = EXAMPLE + "kafka: {bootstrapServers: \"kafka:9092\", maxEventBytes: 4Gi}\n";
        check(yaml, new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(400)
    void randomTextIsReadOrRefusedWithAConfigException(long seed) {
        String text = yamlish(new Gen(seed));
        Tries.check(seed, () -> check(text, random), text);
    }

    @ParameterizedTest
    @FieldSource("io.archscaler.reliability.Mutations#EDGE_TEXTS")
    void shortAndNastyTextsAreReadOrRefusedWithAConfigException(String text) {
        check(text, new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(1500)
    void mutatedValidConfigsAreReadOrRefusedWithAConfigException(long seed) {
        String text = Mutations.of(new Gen(seed), List.of(FULL, EXAMPLE));
        Tries.check(seed, () -> check(text, mutated), text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutationEdgeCases")
    void mutationsAtTheEdgesOfValidConfigsAreReadOrRefusedWithAConfigException(String text) {
        check(text, new InputTally());
    }

    @AfterAll
    void record() {
        random.write("config-random", "Config file: random text",
                "seeded: YAML-like text from keys, punctuation and nasty values");
        mutated.write("config-mutated", "Config file: mutated valid configs",
                "seeded: 1-3 mutations (lines dropped, doubled, swapped, re-indented; values replaced by nasty tokens; "
                        + "cut short; spliced) of the README example and of a config using every section");
    }

    private void check(String text, InputTally tally) {
        ArchscalerConfig config;
        try {
            config = loader.parse(text, "config.yaml");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("config.yaml");
            tally.refused(e.getMessage());
            return;
        }
        // what the controller does with it must hold too: the Kafka client takes int sizes
        config.kafka().ifPresent(k -> assertThat(k.maxEventBytes()).isBetween(1L, (long) Integer.MAX_VALUE));
        tally.accepted();
    }

    static List<Named<String>> mutationEdgeCases() {
        return Mutations.edgeCases(List.of(FULL, EXAMPLE));
    }

    /** Up to 12 lines: a key and a value, a list item, or any text, indented 0 to 6 spaces. */
    private static String yamlish(Gen gen) {
        List<String> keys = List.of("cluster", "nodeGroups", "name", "provider", "maxSize", "minSize",
                "kafka", "maxEventBytes", "scaleUp", "batchIdle", "taints", "effect", "capacity", "cpu", "memory",
                "eks", "leaderElection", "webhook", "port", "registries", "mirrors", "prometheus", "queries", "x");
        return String.join("\n", gen.list(0, 12, () -> gen.oneOf(
                () -> " ".repeat(gen.between(0, 6)) + gen.pick(keys) + ": " + value(gen),
                () -> " ".repeat(gen.between(0, 6)) + "- " + value(gen),
                () -> gen.string(20))));
    }

    private static String value(Gen gen) {
        return gen.oneOf(() -> gen.pick(Mutations.NASTY), () -> gen.string(6));
    }
}
