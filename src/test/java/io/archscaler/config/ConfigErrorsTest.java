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
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every way a configuration is refused, each with the file, line and key in the message. */
class ConfigErrorsTest {
    private static final String GROUP = """
            cluster: prod
            nodeGroups:
              - name: arm
                provider: eks
                instanceType: m7g.large
            """;

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("negative minSize", GROUP + """
                            minSize: -1
                            maxSize: 10
                        """, "config.yaml:6: nodeGroups[0].minSize: must not be negative (got -1)"),
                arguments("negative maxSize", GROUP + """
                            maxSize: -3
                        """, "config.yaml:6: nodeGroups[0].maxSize: must not be negative (got -3)"),
                arguments("unknown key in the second group", GROUP + """
                            maxSize: 10
                          - name: x86
                            provider: eks
                            instanceType: m5.large
                            maxSize: 10
                            wieght: 5
                        """, "config.yaml:11: nodeGroups[1].wieght: unknown key (expected one of: name, provider, arch,"
                        + " minSize, maxSize, weight, instanceType, pricePerHour, capacity, labels, taints, capacityType, eks, asg,"
                        + " ec2, clusterapi, simulated)"),
                arguments("unknown top-level key", GROUP + """
                            maxSize: 10
                        scaleup: {batchIdle: 1s}
                        """, "config.yaml:7: scaleup: unknown key (expected one of: cluster, nodeGroups, scaleUp,"
                        + " scaleDown, kafka, http, aws, leaderElection, images, registries, webhook, prometheus, discovery,"
                        + " expander)"),
                arguments("expander without a certificate", GROUP + """
                            maxSize: 10
                        expander:
                          port: 8444
                        """, "config.yaml:8: expander.certFile: is required: Cluster Autoscaler only dials its gRPC"
                        + " expander over TLS (plaintext: true is for tests)"),
                arguments("expander certificate without its key", GROUP + """
                            maxSize: 10
                        expander:
                          certFile: /etc/archscaler/expander/tls.crt
                        """, "config.yaml:8: expander.keyFile: certFile and keyFile go together"),
                arguments("expander lookup budget past the 1 s answer", GROUP + """
                            maxSize: 10
                        expander:
                          plaintext: true
                          lookupTimeout: 2s
                        """, "config.yaml:9: expander.lookupTimeout: must be at most 900ms: the expander answers within 1s"),
                arguments("unknown key in the expander block", GROUP + """
                            maxSize: 10
                        expander:
                          plaintext: true
                          timeout: 1s
                        """, "config.yaml:9: expander.timeout: unknown key (expected one of: port, certFile, keyFile,"
                        + " plaintext, lookupTimeout)"),
                arguments("unknown key in a nested block", GROUP + """
                            maxSize: 10
                        kafka:
                          bootstrapServers: localhost:9092
                          topics: {podEvent: pods}
                        """, "config.yaml:9: kafka.topics.podEvent: unknown key (expected one of: podEvents,"
                        + " metricEvents, decisions, deadLetter)"),
                arguments("text where an integer goes", GROUP + """
                            maxSize: ten
                        """, "config.yaml:6: nodeGroups[0].maxSize: expected an integer (got \"ten\")"),
                arguments("quoted number where an integer goes", GROUP + """
                            maxSize: "10"
                        """, "config.yaml:6: nodeGroups[0].maxSize: expected an integer (got \"10\")"),
                arguments("a list where a string goes", """
                        cluster: [a, b]
                        """, "config.yaml:1: cluster: expected a string (got a list)"),
                arguments("minSize above maxSize", GROUP + """
                            minSize: 5
                            maxSize: 3
                        """, "config.yaml:6: nodeGroups[0].minSize: must not exceed maxSize (got minSize 5 > maxSize 3)"),
                arguments("weight above 1000", GROUP + """
                            maxSize: 3
                            weight: 1001
                        """, "config.yaml:7: nodeGroups[0].weight: must be between 0 and 1000 (got 1001)"),
                arguments("negative weight", GROUP + """
                            maxSize: 3
                            weight: -1
                        """, "config.yaml:7: nodeGroups[0].weight: must not be negative (got -1)"),
                arguments("duplicate key in a mapping", GROUP + """
                            maxSize: 3
                            minSize: 1
                            maxSize: 4
                        """, "config.yaml:8: nodeGroups[0].maxSize: duplicate key (first given on line 6)"),
                arguments("duplicate key at the top level", GROUP + """
                            maxSize: 3
                        cluster: staging
                        """, "config.yaml:7: cluster: duplicate key (first given on line 1)"),
                arguments("duplicate group name", GROUP + """
                            maxSize: 3
                          - name: arm
                            provider: asg
                            instanceType: m6g.large
                            maxSize: 3
                        """, "config.yaml:7: nodeGroups[1].name: duplicate node group name \"arm\" (first used on line 3)"),
                arguments("bad duration", GROUP + """
                            maxSize: 3
                        scaleUp:
                          batchIdle: 5x
                        """, "config.yaml:8: scaleUp.batchIdle: invalid duration \"5x\" (use a Go duration such as"
                        + " 500ms, 10s, 10m, 1h30m)"),
                arguments("duration without a unit", GROUP + """
                            maxSize: 3
                        scaleDown: {unneededTime: 10}
                        """, "config.yaml:7: scaleDown.unneededTime: invalid duration \"10\" (use a Go duration such as"
                        + " 500ms, 10s, 10m, 1h30m)"),
                arguments("batchIdle longer than batchMax", GROUP + """
                            maxSize: 3
                        scaleUp: {batchIdle: 20s, batchMax: 10s}
                        """, "config.yaml:7: scaleUp.batchIdle: must not be longer than batchMax (10s)"),
                arguments("bad cpu quantity", GROUP + """
                            maxSize: 3
                            capacity:
                              cpu: lots
                        """, "config.yaml:8: nodeGroups[0].capacity.cpu: invalid quantity \"lots\": expected a number"
                        + " such as 500m, 2, 1.5Gi"),
                arguments("bad memory suffix", GROUP + """
                            maxSize: 3
                            capacity: {cpu: "2", memory: 8GB}
                        """, "config.yaml:7: nodeGroups[0].capacity.memory: invalid quantity \"8GB\": unknown suffix"
                        + " \"GB\" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)"),
                arguments("bad maxMemoryTotal", GROUP + """
                            maxSize: 3
                        scaleUp: {maxMemoryTotal: -4Ti}
                        """, "config.yaml:7: scaleUp.maxMemoryTotal: invalid quantity \"-4Ti\": must not be negative"),
                arguments("unknown capacity resource", GROUP + """
                            maxSize: 3
                            capacity: {cpus: "2"}
                        """, "config.yaml:7: nodeGroups[0].capacity.cpus: unknown key (expected one of: cpu, memory,"
                        + " pods, ephemeral-storage, or an extended resource such as nvidia.com/gpu)"),
                arguments("unknown provider", """
                        cluster: prod
                        nodeGroups:
                          - name: arm
                            provider: gke
                            instanceType: m7g.large
                            maxSize: 3
                        """, "config.yaml:4: nodeGroups[0].provider: unknown value \"gke\" (expected one of: eks, asg,"
                        + " ec2, clusterapi, simulated)"),
                arguments("unknown arch", GROUP + """
                            maxSize: 3
                            arch: x86_64
                        """, "config.yaml:7: nodeGroups[0].arch: unknown value \"x86_64\" (expected one of: amd64, arm64)"),
                arguments("arch contradicting the catalog", GROUP + """
                            maxSize: 3
                            arch: amd64
                        """, "config.yaml:7: nodeGroups[0].arch: amd64 does not match instance type m7g.large,"
                        + " which is arm64"),
                arguments("arch missing for an unlisted type", """
                        cluster: prod
                        nodeGroups:
                          - name: metal
                            provider: clusterapi
                            instanceType: dell-r750
                            maxSize: 3
                            capacity: {cpu: "64", memory: 256Gi}
                        """, "config.yaml:3: nodeGroups[0].arch: required (instance type dell-r750 is not in the"
                        + " bundled catalog, so arch must be given)"),
                arguments("capacity missing for an unlisted type", """
                        cluster: prod
                        nodeGroups:
                          - name: metal
                            provider: clusterapi
                            arch: amd64
                            maxSize: 3
                        """, "config.yaml:3: nodeGroups[0].capacity: required (give capacity {cpu, memory} or an"
                        + " instanceType from the bundled catalog)"),
                arguments("memory missing for an unlisted type", """
                        cluster: prod
                        nodeGroups:
                          - name: metal
                            provider: clusterapi
                            arch: amd64
                            maxSize: 3
                            capacity:
                              cpu: "64"
                        """, "config.yaml:8: nodeGroups[0].capacity.memory: required (no instanceType to derive it from)"),
                arguments("missing maxSize", GROUP,
                        "config.yaml:3: nodeGroups[0].maxSize: required"),
                arguments("missing cluster", """
                        nodeGroups:
                          - name: arm
                            provider: eks
                            instanceType: m7g.large
                            maxSize: 3
                        """, "config.yaml:1: cluster: required"),
                arguments("missing node groups", """
                        cluster: prod
                        """, "config.yaml:1: nodeGroups: required"),
                arguments("empty node groups", """
                        cluster: prod
                        nodeGroups: []
                        """, "config.yaml:2: nodeGroups: at least one node group is required"),
                arguments("node groups as a mapping", """
                        cluster: prod
                        nodeGroups:
                          arm: {provider: eks}
                        """, "config.yaml:3: nodeGroups: expected a list (got a mapping)"),
                arguments("a node group that is not a mapping", """
                        cluster: prod
                        nodeGroups:
                          - arm
                        """, "config.yaml:3: nodeGroups[0]: expected a mapping (got \"arm\")"),
                arguments("group name that is not a DNS label", """
                        cluster: prod
                        nodeGroups:
                          - name: Arm_General
                            provider: eks
                            instanceType: m7g.large
                            maxSize: 3
                        """, "config.yaml:3: nodeGroups[0].name: must be a DNS label: lower-case letters, digits and"
                        + " '-', starting and ending with a letter or digit, at most 63 characters (got \"Arm_General\")"),
                arguments("provider block for another provider", GROUP + """
                            maxSize: 3
                            asg: {name: arm-asg}
                        """, "config.yaml:7: nodeGroups[0].asg: not allowed for provider eks (only the \"eks\" block"
                        + " may be given)"),
                arguments("unknown key in the provider block", GROUP + """
                            maxSize: 3
                            eks: {cluster: prod}
                        """, "config.yaml:7: nodeGroups[0].eks.cluster: unknown key (expected one of: clusterName,"
                        + " nodegroupName)"),
                arguments("ec2 group without a launch template", """
                        cluster: prod
                        nodeGroups:
                          - name: fleet
                            provider: ec2
                            instanceType: c7g.large
                            maxSize: 3
                            ec2: {subnets: [subnet-1]}
                        """, "config.yaml:7: nodeGroups[0].ec2.launchTemplate: required"),
                arguments("unknown Cluster API kind", """
                        cluster: prod
                        nodeGroups:
                          - name: metal
                            provider: clusterapi
                            instanceType: m6i.large
                            maxSize: 3
                            clusterapi: {kind: Machine}
                        """, "config.yaml:7: nodeGroups[0].clusterapi.kind: unknown value \"Machine\" (expected one of:"
                        + " MachineDeployment, MachineSet)"),
                arguments("bad taint effect", GROUP + """
                            maxSize: 3
                            taints:
                              - {key: arch, value: arm64, effect: NoScheduleX}
                        """, "config.yaml:8: nodeGroups[0].taints[0].effect: unknown value \"NoScheduleX\" (expected"
                        + " one of: NoSchedule, PreferNoSchedule, NoExecute)"),
                arguments("taint without a key", GROUP + """
                            maxSize: 3
                            taints:
                              - effect: NoSchedule
                        """, "config.yaml:8: nodeGroups[0].taints[0].key: required"),
                arguments("negative price", GROUP + """
                            maxSize: 3
                            pricePerHour: -0.1
                        """, "config.yaml:7: nodeGroups[0].pricePerHour: must not be negative (got -0.1)"),
                arguments("utilization threshold above 1", GROUP + """
                            maxSize: 3
                        scaleDown: {utilizationThreshold: 1.5}
                        """, "config.yaml:7: scaleDown.utilizationThreshold: must be between 0 and 1 (got 1.5)"),
                arguments("boolean that is not one", GROUP + """
                            maxSize: 3
                        scaleDown: {enabled: maybe}
                        """, "config.yaml:7: scaleDown.enabled: expected true or false (got \"maybe\")"),
                arguments("percentage above 100", GROUP + """
                            maxSize: 3
                        scaleDown: {maxDisruptedNodes: 150%}
                        """, "config.yaml:7: scaleDown.maxDisruptedNodes: expected a node count or a percentage from"
                        + " 0% to 100% (got \"150%\")"),
                arguments("negative node budget", GROUP + """
                            maxSize: 3
                        scaleDown: {maxDisruptedNodes: -2}
                        """, "config.yaml:7: scaleDown.maxDisruptedNodes: expected a node count or a percentage from"
                        + " 0% to 100% (got \"-2\")"),
                arguments("zero parallelism", GROUP + """
                            maxSize: 3
                        scaleDown: {maxScaleDownParallelism: 0}
                        """, "config.yaml:7: scaleDown.maxScaleDownParallelism: must be between 1 and 2147483647 (got 0)"),
                arguments("negative restore node count", GROUP + """
                            maxSize: 3
                        scaleDown:
                          restore: {maxNodes: -1}
                        """, "config.yaml:8: scaleDown.restore.maxNodes: must not be negative (got -1)"),
                arguments("restore interval of zero", GROUP + """
                            maxSize: 3
                        scaleDown:
                          restore:
                            interval: 0s
                        """, "config.yaml:9: scaleDown.restore.interval: must be longer than 0s"),
                arguments("negative minimum saving", GROUP + """
                            maxSize: 3
                        scaleDown:
                          restore: {minSavingPerHour: -0.01}
                        """, "config.yaml:8: scaleDown.restore.minSavingPerHour: must not be negative (got -0.01)"),
                arguments("minimum saving that is not a number", GROUP + """
                            maxSize: 3
                        scaleDown:
                          restore: {minSavingPerHour: cheap}
                        """, "config.yaml:8: scaleDown.restore.minSavingPerHour: expected a number (got \"cheap\")"),
                arguments("unknown restore key", GROUP + """
                            maxSize: 3
                        scaleDown:
                          restore: {maxNode: 2}
                        """, "config.yaml:8: scaleDown.restore.maxNode: unknown key (expected one of: enabled, maxNodes,"
                        + " perInterval, interval, minSavingPerHour)"),
                arguments("kafka without bootstrap servers", GROUP + """
                            maxSize: 3
                        kafka:
                          groupId: scaler
                        """, "config.yaml:8: kafka.bootstrapServers: required"),
                arguments("port out of range", GROUP + """
                            maxSize: 3
                        http: {port: 70000}
                        """, "config.yaml:7: http.port: must be between 0 and 65535 (got 70000)"),
                arguments("endpoint that is not a URL", GROUP + """
                            maxSize: 3
                        aws:
                          region: us-west-2
                          endpoints:
                            eks: "not a url"
                        """, "config.yaml:10: aws.endpoints.eks: expected an http or https URL such as"
                        + " https://eks.us-west-2.amazonaws.com (got \"not a url\")"),
                arguments("interruption queue that is not a URL", GROUP + """
                            maxSize: 3
                        aws:
                          interruptionQueue: archscaler-interruptions
                        """, "config.yaml:8: aws.interruptionQueue: expected an http or https URL such as"
                        + " https://sqs.us-west-2.amazonaws.com/123456789012/archscaler-interruptions"
                        + " (got \"archscaler-interruptions\")"),
                arguments("interruption queue block without its URL", GROUP + """
                            maxSize: 3
                        aws:
                          interruptionQueue: {rebalance: act}
                        """, "config.yaml:8: aws.interruptionQueue.url: required"),
                arguments("unknown rebalance mode", GROUP + """
                            maxSize: 3
                        aws:
                          interruptionQueue: {url: "https://sqs.us-west-2.amazonaws.com/1/q", rebalance: drain}
                        """, "config.yaml:8: aws.interruptionQueue.rebalance: unknown value \"drain\" (expected one of:"
                        + " record, act)"),
                arguments("renew deadline not shorter than the lease", GROUP + """
                            maxSize: 3
                        leaderElection: {leaseDuration: 10s, renewDeadline: 10s}
                        """, "config.yaml:7: leaderElection.renewDeadline: must be shorter than leaseDuration (10s)"),
                arguments("unknown discovery source", GROUP + """
                            maxSize: 3
                        discovery: {gke: {}}
                        """, "config.yaml:7: discovery.gke: unknown key (expected one of: eks, asg, clusterapi)"),
                arguments("unknown key in eks discovery", GROUP + """
                            maxSize: 3
                        discovery:
                          eks: {cluster: prod}
                        """, "config.yaml:8: discovery.eks.cluster: unknown key (expected one of: clusterName)"),
                arguments("asg discovery by both tags and cluster name", GROUP + """
                            maxSize: 3
                        discovery:
                          asg: {clusterName: prod, tags: [team=ml]}
                        """, "config.yaml:8: discovery.asg.tags: give either tags or clusterName, not both"),
                arguments("asg discovery with an empty tag list", GROUP + """
                            maxSize: 3
                        discovery:
                          asg: {tags: []}
                        """, "config.yaml:8: discovery.asg.tags: at least one tag is required (or give clusterName"
                        + " instead)"),
                arguments("asg discovery tag without a key", GROUP + """
                            maxSize: 3
                        discovery:
                          asg: {tags: ["=ml"]}
                        """, "config.yaml:8: discovery.asg.tags: expected tag keys such as"
                        + " k8s.io/cluster-autoscaler/enabled, or key=value (got \"=ml\")"),
                arguments("unknown default arch for Cluster API discovery", GROUP + """
                            maxSize: 3
                        discovery:
                          clusterapi: {defaultArch: riscv64}
                        """, "config.yaml:8: discovery.clusterapi.defaultArch: unknown value \"riscv64\" (expected"
                        + " one of: amd64, arm64)"),
                arguments("no node groups and no discovery", """
                        cluster: prod
                        discovery:
                        """, "config.yaml:1: nodeGroups: required"),
                arguments("unknown key in the ec2 block", """
                        cluster: prod
                        nodeGroups:
                          - name: fleet
                            provider: ec2
                            instanceType: c7g.large
                            maxSize: 3
                            ec2: {launchTemplate: lt-0abc, version: 3}
                        """, "config.yaml:7: nodeGroups[0].ec2.version: unknown key (expected one of: launchTemplate,"
                        + " instanceTypes, subnets, launchTemplateVersion)"),
                arguments("a list at the top level", """
                        - cluster: prod
                        """, "config.yaml:1: expected a mapping at the top level (got a list)"),
                arguments("YAML syntax error", """
                        cluster: prod
                        nodeGroups:
                          - name: arm
                            provider: eks
                           maxSize: 3
                        """, "config.yaml:5: invalid YAML: expected <block end>, but found '<block mapping start>'"
                        + " (while parsing a block collection)"),
                arguments("unclosed flow mapping", """
                        cluster: prod
                        scaleUp: {batchIdle: 1s
                        """, "config.yaml:3: invalid YAML: expected ',' or '}', but got <stream end> (while parsing"
                        + " a flow mapping)"),
                arguments("empty file", "", "config.yaml: the file is empty"),
                arguments("only comments", "# nothing here\n", "config.yaml: the file is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithFileLineAndKey(String name, String yaml, String message) {
        assertThatThrownBy(() -> loader.parse(yaml, "config.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void fileErrorsCarryTheFileName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("archscaler.yaml");
        Files.writeString(file, GROUP + "    maxSize: -2\n");
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":6: nodeGroups[0].maxSize: must not be negative (got -2)");
    }

    @Test
    void binaryFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not UTF-8 text");
    }
}
