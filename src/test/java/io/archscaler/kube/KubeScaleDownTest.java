package io.archscaler.kube;

import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.DisruptionBudget;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KubeScaleDownTest {
    @Test
    void localVolumesAreDiskBackedEmptyDirsAndHostPaths() {
        Pod pod = pod().editSpec()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("shm").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewVolume().withName("logs").withNewHostPath().withPath("/var/log").endHostPath().endVolume()
                .addNewVolume().withName("config").withNewConfigMap().withName("c").endConfigMap().endVolume()
                .endSpec().build();

        assertThat(KubeScaleDown.boundPod(pod).localVolumes()).isEqualTo(Map.of("scratch", "emptyDir", "logs", "hostPath"));
    }

    @Test
    void ownersAnnotationsAndLabelsAreKept() {
        BoundPod ds = KubeScaleDown.boundPod(pod().editMetadata().addNewOwnerReference().withKind("DaemonSet")
                .withName("agent").withController(true).endOwnerReference().endMetadata().build());
        BoundPod mirror = KubeScaleDown.boundPod(pod().editMetadata()
                .addToAnnotations("kubernetes.io/config.mirror", "abc").endMetadata().build());

        assertThat(ds.daemonSet()).isTrue();
        assertThat(ds.pod().ownerKey()).isEqualTo("DaemonSet/agent");
        assertThat(mirror.mirror()).isTrue();
        assertThat(mirror.pod().ownerKey()).isNull();
        assertThat(mirror.labels()).containsEntry("app", "web");
    }

    @Test
    void aBudgetReadsItsSelectorAndStatus() {
        DisruptionBudget b = KubeScaleDown.budget(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("batch").endMatchExpression()
                .endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(2).endStatus().build());

        assertThat(b.disruptionsAllowed()).isEqualTo(2);
        assertThat(b.selector().matches(Map.of("app", "web"))).isTrue();
        assertThat(b.selector().matches(Map.of("app", "web", "tier", "batch"))).isFalse();
        assertThat(b.selector().matches(Map.of("app", "db"))).isFalse();
    }

    @Test
    void aBudgetWithoutStatusAllowsNothingAndOneWithoutSelectorSelectsNothing() {
        DisruptionBudget b = KubeScaleDown.budget(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).endSpec().build());
        assertThat(b.disruptionsAllowed()).isZero();
        assertThat(b.selector()).isNull();
        assertThat(b.covers(KubeScaleDown.boundPod(pod().build()))).isFalse();
    }

    @Test
    void theNewestTimestampIsTheSnapshotsTime() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2025-11-20T08:00:00Z")
                .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                .withLastHeartbeatTime("2025-11-22T09:58:41Z").withLastTransitionTime("2025-11-20T08:01:00Z")
                .endCondition().endStatus().build();
        Pod pod = pod().editMetadata().withCreationTimestamp("2025-11-22T09:00:00Z").endMetadata().build();

        assertThat(KubeScaleDown.newestTimestamp(List.of(node), List.of(pod)))
                .contains(Instant.parse("2025-11-22T09:58:41Z"));
        assertThat(KubeScaleDown.newestTimestamp(List.of(), List.of(pod().build()))).isEmpty();
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName("n").addNewContainer().withName("web").withImage("web")
                .endContainer().endSpec();
    }
}
