package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.kube.KubeSnapshot;
import io.archscaler.kube.KubeTranslationException;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.ClusterSnapshot;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

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
 * {@link KubeTranslationException} that says what is wrong; never another exception.
 */
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

    @Example
    void theDocumentsMutatedArePlanned() {
        assertThat(check(STATE, new InputTally())).isTrue();
        assertThat(check(STATE_JSON, new InputTally())).isTrue();
    }

    @Property(tries = 300)
    void randomTextIsReadOrRefusedWithAMessage(@ForAll("text") String text) {
        check(text, random);
    }

    @Property(tries = 600)
    void mutatedKubectlOutputIsReadOrRefusedWithAMessage(@ForAll("mutated") String text) {
        check(text, mutated);
    }

    @AfterProperty
    void record() throws IOException {
        random.write("state-random", "kubectl state file (plan --state): random text",
                "jqwik: random strings and YAML-like lines, read by ClusterStateFile, translated and planned");
        mutated.write("state-mutated", "kubectl state file (plan --state): mutated kubectl output",
                "jqwik: 1-3 mutations of a v1 List (YAML and JSON) of nodes and pods using requests, limits, init "
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

    @Provide
    Arbitrary<String> mutated() {
        return Mutations.of(List.of(STATE, STATE_JSON));
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> lines = Arbitraries.oneOf(Arbitraries.of(Mutations.NASTY),
                Arbitraries.of("apiVersion: v1", "kind: List", "kind: Pod", "kind: Node", "items:", "- kind: Pod",
                        "  metadata: {name: a}", "  spec: {containers: [{name: c}]}", "{", "}", "[", "]", "---"),
                Arbitraries.strings().ofMaxLength(20));
        return lines.list().ofMaxSize(10).map(l -> String.join("\n", l));
    }
}
