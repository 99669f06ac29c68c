package io.archscaler.controller;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.archscaler.kube.NodeGroupMembership;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod events twice, out of order, or about a new pod of an old name: what the snapshot makes of them. */
class ClusterStateOrderTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private final ClusterState state = new ClusterState(new KubeTranslation(NodeGroupMembership.of(List.of())));

    @Test
    void aPendingEventAfterTheSamePodWasBoundIsStaleAndTheBindingStands() {
        state.apply(new PodScheduled("c", pod("uid-1", "n1"), T));

        assertThat(state.apply(new PodPending("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.STALE);
        assertThat(state.pending()).isEmpty();
        assertThat(state.boundPods()).isEqualTo(1);
    }

    @Test
    void aPendingPodOfANewUidReplacesTheBoundPodOfTheSameName() {
        state.apply(new PodScheduled("c", pod("uid-1", "n1"), T));

        assertThat(state.apply(new PodPending("c", pod("uid-2", null), T))).isEqualTo(ClusterState.Change.NEW_PENDING);
        assertThat(state.pending()).containsOnlyKeys("default/web-0");
        assertThat(state.boundPods()).isZero();
    }

    @Test
    void newsOfADeletedPodIsStaleButANewPodOfItsNameIsNot() {
        state.apply(new PodPending("c", pod("uid-1", null), T));
        assertThat(state.apply(new PodDeleted("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.UPDATED);
        assertThat(state.apply(new PodDeleted("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.UNCHANGED);

        assertThat(state.apply(new PodPending("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.STALE);
        assertThat(state.apply(new PodScheduled("c", pod("uid-1", "n1"), T))).isEqualTo(ClusterState.Change.STALE);
        assertThat(state.pending()).isEmpty();

        assertThat(state.apply(new PodPending("c", pod("uid-2", null), T))).isEqualTo(ClusterState.Change.NEW_PENDING);
    }

    @Test
    void theSamePendingPodTwiceIsADuplicate() {
        assertThat(state.apply(new PodPending("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.NEW_PENDING);
        assertThat(state.apply(new PodPending("c", pod("uid-1", null), T))).isEqualTo(ClusterState.Change.UNCHANGED);
    }

    @Test
    void withoutUidsEventsAreTakenToBeAboutTheSamePod() {
        state.apply(new PodScheduled("c", pod(null, "n1"), T));

        assertThat(state.apply(new PodPending("c", pod(null, null), T))).isEqualTo(ClusterState.Change.STALE);
        assertThat(state.boundPods()).isEqualTo(1);
    }

    private static Pod pod(String uid, String node) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web-0").withUid(uid).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m")).endResources()
                .endContainer().endSpec().build();
    }
}
