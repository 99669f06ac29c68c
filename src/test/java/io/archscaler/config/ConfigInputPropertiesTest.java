package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the configuration file holds, the loader returns a configuration or a
 * {@link ConfigException} whose message names the file; never another exception. A configuration
 * it accepts can be handed to the controller as it is.
 */
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

    @Example
    void theDocumentsMutatedAreValidConfigs() {
        assertThat(loader.parse(FULL, "full.yaml").nodeGroups()).hasSize(4);
        assertThat(loader.parse(EXAMPLE, "example.yaml").nodeGroups()).hasSize(2);
    }

    @Example
    void aKafkaEventSizeTheKafkaClientCannotTakeIsRefused() {
        String yaml = EXAMPLE + "kafka: {bootstrapServers: \"kafka:9092\", maxEventBytes: 4Gi}\n";
        check(yaml, new InputTally());
    }

    @Property(tries = 400)
    void randomTextIsReadOrRefusedWithAConfigException(@ForAll("yamlish") String text) {
        check(text, random);
    }

    @Property(tries = 1500)
    void mutatedValidConfigsAreReadOrRefusedWithAConfigException(@ForAll("mutated") String text) {
        check(text, mutated);
    }

    @AfterProperty
    void record() {
        random.write("config-random", "Config file: random text",
                "jqwik: YAML-like text from keys, punctuation and nasty values");
        mutated.write("config-mutated", "Config file: mutated valid configs",
                "jqwik: 1-3 mutations (lines dropped, doubled, swapped, re-indented; values replaced by nasty tokens; "
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

    @Provide
    Arbitrary<String> mutated() {
        return Mutations.of(List.of(FULL, EXAMPLE));
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> keys = Arbitraries.of("cluster", "nodeGroups", "name", "provider", "maxSize", "minSize",
                "kafka", "maxEventBytes", "scaleUp", "batchIdle", "taints", "effect", "capacity", "cpu", "memory", "eks",
                "leaderElection", "webhook", "port", "registries", "mirrors", "prometheus", "queries", "x");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of(Mutations.NASTY), Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> line = Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 6), keys, values)
                        .as((indent, k, v) -> " ".repeat(indent) + k + ": " + v),
                net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 6), values)
                        .as((indent, v) -> " ".repeat(indent) + "- " + v),
                Arbitraries.strings().ofMaxLength(20));
        return line.list().ofMaxSize(12).map(lines -> String.join("\n", lines));
    }
}
