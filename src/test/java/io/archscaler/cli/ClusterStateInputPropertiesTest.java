package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.kube.KubeSnapshot;
import io.archscaler.kube.KubeTranslationException;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the state file given to {@code plan} holds, reading it and translating it either
 * works (and the planner plans it) or fails with a {@link CliException} or a
 * {@link KubeTranslationException} that says what is wrong; never another exception. One
 * instance for all tries, so the tallies count every try and share one state file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterStateInputPropertiesTest {
    /** What {@code kubectl get nodes,pods -A -o yaml} prints, cut down to what the planner reads. */
    static final String STATE = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata:
                name: ip-10-0-1-23
                creationTimestamp: "2025-11-20T08:14:02Z"
                labels:
                  kubernetes.io/arch: arm64
                  eks.amazonaws.com/nodegroup: arm-general
              spec:
                providerID: aws:///us-west-2a/i-0123
                taints:
                - key: arch
                  value: arm64
                  effect: NoSchedule
              status:
                allocatable: {cpu: 1930m, memory: 7291748Ki, pods: "29", ephemeral-storage: 18242267924}
                conditions:
                - type: Ready
                  status: "True"
                nodeInfo: {architecture: arm64, operatingSystem: linux}
            - apiVersion: v1
              kind: Node
              metadata:
                name: ip-10-0-2-7
                labels: {kubernetes.io/arch: amd64, eks.amazonaws.com/nodegroup: x86-general}
              status:
                allocatable: {cpu: 1930m, memory: 7291748Ki, pods: "29"}
                conditions: [{type: Ready, status: "True"}]
            - apiVersion: v1
              kind: Pod
              metadata:
                name: web-1
                namespace: default
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9, uid: u1, controller: true}]
              spec:
                nodeSelector: {workload: general}
                tolerations: [{key: arch, operator: Equal, value: arm64, effect: NoSchedule}]
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - {key: kubernetes.io/arch, operator: In, values: [arm64, amd64]}
                initContainers:
                - name: init
                  image: busybox
                  resources: {requests: {cpu: 200m, memory: 64Mi}}
                containers:
                - name: app
                  image: nginx:1.27
                  resources:
                    requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 1Gi}
                    limits: {cpu: "1", memory: 2Gi, nvidia.com/gpu: "1"}
                overhead: {cpu: 10m, memory: 16Mi}
              status:
                phase: Pending
                conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]
            - apiVersion: v1
              kind: Pod
              metadata: {name: legacy-0, namespace: shop}
              spec:
                nodeSelector: {kubernetes.io/arch: amd64}
                containers: [{name: app, image: legacy:1, resources: {requests: {cpu: "1", memory: 2Gi}}}]
              status: {phase: Pending}
            - apiVersion: v1
              kind: Pod
              metadata:
                name: fluent-bit-x
                namespace: kube-system
                ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: fluent-bit, uid: u2, controller: true}]
              spec:
                nodeName: ip-10-0-1-23
                containers: [{name: fb, image: fluent-bit, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
              status: {phase: Running}
            """;

    static final String STATE_JSON = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Node",
               "metadata": {"name": "n1", "labels": {"kubernetes.io/arch": "arm64", "eks.amazonaws.com/nodegroup": "arm-general"}},
               "status": {"allocatable": {"cpu": "2", "memory": "8Gi", "pods": "29"},
                          "conditions": [{"type": "Ready", "status": "True"}]}},
              {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "namespace": "default"},
               "spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "3", "memory": "1Gi"}}}]},
               "status": {"phase": "Pending"}}
            ]}
            """;

    private final ArchscalerConfig config = ConfigLoader.standard().parse("""
            cluster: prod
            nodeGroups:
              - {name: arm-general, provider: eks, instanceType: m7g.large, minSize: 1, maxSize: 10}
              - {name: x86-general, provider: eks, instanceType: m5.large, minSize: 1, maxSize: 10}
            scaleUp: {maxNodesTotal: 50}
            """, "config.yaml");
    private final Path file;
    private final InputTally random = new InputTally();
    private final InputTally mutated = new InputTally();

    ClusterStateInputPropertiesTest() throws IOException {
        file = Files.createTempFile("archscaler-state-", ".yaml");
    }

    @Test
    void theDocumentsMutatedArePlanned() {
        assertThat(check(STATE, new InputTally())).isTrue();
        assertThat(check(STATE_JSON, new InputTally())).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(300)
    void randomTextIsReadOrRefusedWithAMessage(long seed) {
        String text = text(new Gen(seed));
        Tries.check(seed, () -> check(text, random), text);
    }

    @ParameterizedTest
    @FieldSource("io.archscaler.reliability.Mutations#EDGE_TEXTS")
    void shortAndNastyTextsAreReadOrRefusedWithAMessage(String text) {
        check(text, new InputTally());
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(600)
    void mutatedKubectlOutputIsReadOrRefusedWithAMessage(long seed) {
        String text = Mutations.of(new Gen(seed), List.of(STATE, STATE_JSON));
        Tries.check(seed, () -> check(text, mutated), text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutationEdgeCases")
    void mutationsAtTheEdgesOfKubectlOutputAreReadOrRefusedWithAMessage(String text) {
        check(text, new InputTally());
    }

    @AfterAll
    void record() throws IOException {
        random.write("state-random", "kubectl state file (plan --state): random text",
                "seeded: random strings and YAML-like lines, read by ClusterStateFile, translated and planned");
        mutated.write("state-mutated", "kubectl state file (plan --state): mutated kubectl output",
                "seeded: 1-3 mutations of a v1 List (YAML and JSON) of nodes and pods using requests, limits, init "
                        + "containers, overhead, affinity, tolerations, taints; read, translated by KubeSnapshot, planned");
        Files.deleteIfExists(file);
    }

    /** True when the document was planned. */
    private boolean check(String text, InputTally tally) {
        try {
            // getBytes, not writeString: a lone surrogate among random characters becomes '?' rather than an error
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClusterStateFile.ClusterState state;
        ClusterSnapshot snapshot;
        try {
            state = ClusterStateFile.read(file);
            snapshot = KubeSnapshot.of(config.nodeGroups(), config.scaleUp().limits(), state.nodes(), state.pods());
        } catch (CliException | KubeTranslationException e) {
            assertThat(e.getMessage()).isNotBlank();
            tally.refused(e.getMessage().replace(file.toString(), "state.yaml"));
            return false;
        }
        assertThat(new Planner().plan(snapshot)).isNotNull();
        tally.accepted();
        return true;
    }

    static List<Named<String>> mutationEdgeCases() {
        return Mutations.edgeCases(List.of(STATE, STATE_JSON));
    }

    /** Up to 10 lines: nasty values, lines of a kubectl list, or any text. */
    private static String text(Gen gen) {
        List<String> kubectl = List.of("apiVersion: v1", "kind: List", "kind: Pod", "kind: Node", "items:",
                "- kind: Pod", "  metadata: {name: a}", "  spec: {containers: [{name: c}]}", "{", "}", "[", "]", "---");
        return String.join("\n", gen.list(0, 10, () -> gen.oneOf(() -> gen.pick(Mutations.NASTY),
                () -> gen.pick(kubectl), () -> gen.string(20))));
    }
}
