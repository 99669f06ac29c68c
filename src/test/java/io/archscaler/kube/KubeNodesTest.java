package io.archscaler.kube;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ConfigLoader;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeNodesTest {
    private static final long KI = 1024;
    private final NodeGroupMembership membership = new NodeGroupMembership(List.of("arm-general", "x86-general"));

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            "archscaler.io/node-group,         arm-general, arm-general",
            "eks.amazonaws.com/nodegroup,      x86-general, x86-general",
            "cluster.x-k8s.io/deployment-name, arm-general, arm-general",
            "eks.amazonaws.com/nodegroup,      other-ng,    ''",
            "node.kubernetes.io/instance-type, arm-general, ''",
    })
    void joinsAGroupByEachLabel(String label, String value, String group) {
        Node node = KubeNodes.toNode(node(Map.of(label, value)).build(), membership, Resources.ZERO);
        assertThat(node.nodeGroup()).isEqualTo(group.isEmpty() ? null : group);
    }

    @Test
    void archscalerLabelWinsOverTheProvidersAndUnknownValuesFallThrough() {
        assertThat(membership.groupOf(Map.of(NodeGroupMembership.ARCHSCALER_LABEL, "x86-general",
                NodeGroupMembership.EKS_LABEL, "arm-general"))).contains("x86-general");
        assertThat(membership.groupOf(Map.of(NodeGroupMembership.ARCHSCALER_LABEL, "retired",
                NodeGroupMembership.EKS_LABEL, "arm-general"))).contains("arm-general");
        assertThat(membership.groupOf(Map.of())).isEmpty();
    }

    @Test
    void providerNamesMapToTheirGroups() {
        NodeGroupMembership m = NodeGroupMembership.of(new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty)
                .parse("""
                        cluster: prod
                        nodeGroups:
                          - {name: arm, provider: eks, instanceType: m7g.large, maxSize: 3,
                             eks: {nodegroupName: prod-arm-ng-20251120}}
                          - {name: metal, provider: clusterapi, instanceType: m6i.large, maxSize: 3,
                             clusterapi: {name: metal-md-0}}
                        """, "config.yaml").nodeGroups());
        assertThat(m.groupOf(Map.of(NodeGroupMembership.EKS_LABEL, "prod-arm-ng-20251120"))).contains("arm");
        assertThat(m.groupOf(Map.of(NodeGroupMembership.CLUSTER_API_LABEL, "metal-md-0"))).contains("metal");
        assertThat(m.groupOf(Map.of(NodeGroupMembership.EKS_LABEL, "arm"))).contains("arm");
    }

    @Test
    void translatesStatusSpecAndMetadata() {
        io.fabric8.kubernetes.api.model.Node kn = node(Map.of("kubernetes.io/arch", "arm64",
                NodeGroupMembership.EKS_LABEL, "arm-general"))
                .editMetadata().withCreationTimestamp("2025-11-20T08:14:02Z").endMetadata()
                .withNewSpec().withUnschedulable(true)
                .addNewTaint().withKey("arch").withValue("arm64").withEffect("NoSchedule").endTaint()
                .addNewTaint().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus()
                .withAllocatable(quantities(Map.of("cpu", "1930m", "memory", "7302756Ki", "pods", "29",
                        "ephemeral-storage", "18181869946", "hugepages-2Mi", "0")))
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        Resources requested = new Resources(1725, 4 * KI * KI * KI, 0, 4, Map.of());

        Node node = KubeNodes.toNode(kn, membership, requested);

        assertThat(node.name()).isEqualTo("ip-10-0-1-23.us-west-2.compute.internal");
        assertThat(node.nodeGroup()).isEqualTo("arm-general");
        assertThat(node.arch()).isEqualTo(Arch.ARM64);
        assertThat(node.allocatable()).isEqualTo(new Resources(1930, 7302756 * KI, 18181869946L, 29,
                Map.of("hugepages-2Mi", 0L)));
        assertThat(node.requested()).isEqualTo(requested);
        assertThat(node.ready()).isTrue();
        assertThat(node.unschedulable()).isTrue();
        assertThat(node.taints()).containsExactly(new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE),
                new Taint("node.kubernetes.io/unschedulable", "", TaintEffect.NO_SCHEDULE));
        assertThat(node.created()).isEqualTo(Instant.parse("2025-11-20T08:14:02Z"));
        assertThat(node.labels()).containsEntry("kubernetes.io/arch", "arm64");
    }

    @Test
    void archComesFromNodeInfoWhenTheLabelIsMissing() {
        io.fabric8.kubernetes.api.model.Node kn = node(Map.of())
                .withNewStatus().withNewNodeInfo().withArchitecture("amd64").endNodeInfo().endStatus().build();
        assertThat(KubeNodes.arch(kn)).contains(Arch.AMD64);
        assertThat(KubeNodes.toNode(kn, membership, Resources.ZERO).arch()).isEqualTo(Arch.AMD64);
    }

    @Test
    void theArchLabelWinsOverNodeInfoAndOtherArchesAreUnknown() {
        io.fabric8.kubernetes.api.model.Node labelled = node(Map.of("kubernetes.io/arch", "arm64"))
                .withNewStatus().withNewNodeInfo().withArchitecture("amd64").endNodeInfo().endStatus().build();
        assertThat(KubeNodes.arch(labelled)).contains(Arch.ARM64);
        io.fabric8.kubernetes.api.model.Node s390x = node(Map.of("kubernetes.io/arch", "s390x")).build();
        assertThat(KubeNodes.toNode(s390x, membership, Resources.ZERO).arch()).isNull();
    }

    @Test
    void aNodeWithoutAReadyConditionIsNotReady() {
        io.fabric8.kubernetes.api.model.Node kn = node(Map.of()).withNewStatus()
                .addNewCondition().withType("Ready").withStatus("Unknown").endCondition().endStatus().build();
        assertThat(KubeNodes.toNode(kn, membership, Resources.ZERO).ready()).isFalse();
        assertThat(KubeNodes.toNode(node(Map.of()).build(), membership, Resources.ZERO).ready()).isFalse();
    }

    /**
     * Found on a real control plane: a node that registers saying Ready still carries the not-ready
     * taint the API server put on it until the node lifecycle controller lifts it; counted as ready
     * it held no room and no capacity in flight, and the controller asked for its nodes a second time.
     */
    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource({
            "node.kubernetes.io/not-ready,           NoSchedule, false",
            "node.kubernetes.io/network-unavailable, NoSchedule, false",
            "node.kubernetes.io/disk-pressure,       NoSchedule, false",
            "node.kubernetes.io/unschedulable,       NoSchedule, true",
            "dedicated,                              NoSchedule, true",
    })
    void aNodeThatSaysReadyButStillCarriesANotReadyTaintIsNotReady(String key, String effect, boolean ready) {
        io.fabric8.kubernetes.api.model.Node kn = node(Map.of()).withNewSpec().addNewTaint().withKey(key)
                .withEffect(effect).endTaint().endSpec().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        assertThat(KubeNodes.isReady(kn)).isEqualTo(ready);
        assertThat(KubeNodes.toNode(kn, membership, Resources.ZERO).ready()).isEqualTo(ready);
    }

    @Test
    void badAllocatableNamesTheNode() {
        io.fabric8.kubernetes.api.model.Node kn = node(Map.of()).withNewStatus()
                .withAllocatable(quantities(Map.of("memory", "lots"))).endStatus().build();
        assertThatThrownBy(() -> KubeNodes.toNode(kn, membership, Resources.ZERO))
                .isInstanceOf(KubeTranslationException.class)
                .hasMessage("node ip-10-0-1-23.us-west-2.compute.internal: status.allocatable.memory: invalid quantity"
                        + " \"lots\": expected a number such as 500m, 2, 1.5Gi");
    }

    private static NodeBuilder node(Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName("ip-10-0-1-23.us-west-2.compute.internal")
                .withLabels(new LinkedHashMap<>(labels)).endMetadata();
    }

    private static Map<String, Quantity> quantities(Map<String, String> m) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }
}
