package io.archscaler.kube;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.archscaler.kube.KubePodsTest.container;
import static io.archscaler.kube.KubePodsTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class KubeSnapshotTest {
    private static final long MI = 1L << 20;

    private final List<NodeGroupConfig> groups = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty).parse("""
            cluster: prod
            nodeGroups:
              - {name: arm-general, provider: eks, instanceType: m7g.large, maxSize: 10}
              - {name: x86-general, provider: eks, instanceType: m5.large, maxSize: 10}
            """, "config.yaml").nodeGroups();

    @Test
    void boundPodsHoldRoomPendingPodsArePlannedAndGroupsAreSizedByTheirNodes() {
        List<Node> nodes = List.of(node("arm-1", "arm-general"), node("arm-2", "arm-general"), node("x86-1", "x86-general"),
                node("other", null));
        List<Pod> pods = List.of(
                bound("api-1", "arm-1", "Running", "500m", "1Gi"),
                bound("api-2", "arm-1", "Running", "250m", "512Mi"),
                bound("report-1", "arm-1", "Succeeded", "2", "4Gi"),
                bound("api-3", "x86-1", "Pending", "100m", "128Mi"),
                pending("web-b", null),
                pending("web-a", null),
                pending("proxy-new", "DaemonSet"),
                bound("proxy-x", "x86-1", "Running", "100m", "0"));
        List<Pod> withDaemonSetOwner = pods.stream().map(p -> p.getMetadata().getName().startsWith("proxy")
                ? new PodBuilder(p).editMetadata().addNewOwnerReference().withKind("DaemonSet").withName("kube-proxy")
                .withController(true).endOwnerReference().endMetadata().build() : p).toList();

        ClusterSnapshot s = KubeSnapshot.of(groups, ClusterLimits.ofNodes(50), nodes, withDaemonSetOwner);

        assertThat(s.nodeGroups()).extracting(NodeGroup::name, NodeGroup::targetSize)
                .containsExactly(tuple("arm-general", 2),
                        tuple("x86-general", 1));
        assertThat(s.nodes()).extracting(io.archscaler.scaler.model.Node::name, io.archscaler.scaler.model.Node::requested)
                .containsExactly(
                        tuple("arm-1", new Resources(750, 1536 * MI, 0, 2, Map.of())),
                        tuple("arm-2", Resources.ZERO),
                        tuple("x86-1", new Resources(200, 128 * MI, 0, 2, Map.of())),
                        tuple("other", Resources.ZERO));
        assertThat(s.nodes().get(3).nodeGroup()).isNull();
        assertThat(s.pendingPods()).extracting(PendingPod::key).containsExactly("shop/web-a", "shop/web-b");
        assertThat(s.daemonSets()).extracting(PendingPod::ownerKey).containsExactly("DaemonSet/kube-proxy");
        assertThat(s.limits()).isEqualTo(ClusterLimits.ofNodes(50));
        assertThat(s.inFlightNodes()).isEmpty();
    }

    private static Node node(String name, String group) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (group != null) {
            b.editMetadata().addToLabels(NodeGroupMembership.EKS_LABEL, group).endMetadata();
        }
        return b.build();
    }

    private static Pod bound(String name, String node, String phase, String cpu, String memory) {
        return new PodBuilder(pod(name, List.of(container("c", Map.of("cpu", cpu, "memory", memory), Map.of())), List.of()))
                .editSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Pod pending(String name, String ownerKind) {
        PodBuilder b = new PodBuilder(pod(name, List.of(container("c", Map.of("cpu", "500m"), Map.of())), List.of()))
                .withNewStatus().withPhase("Pending").endStatus();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName("kube-proxy").withController(true)
                    .endOwnerReference().endMetadata();
        }
        return b.build();
    }
}
