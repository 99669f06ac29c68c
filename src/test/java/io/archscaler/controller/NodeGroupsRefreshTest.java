package io.archscaler.controller;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Sizes a provider reported are taken, unless the controller changed the group after the listing was sent. */
class NodeGroupsRefreshTest {
    private static final NodeGroup ARM = new NodeGroup("arm", "simulated", Arch.ARM64, 0, 10, 0, 100, "m7g.large",
            0.08, null);
    private static final NodeGroup X86 = new NodeGroup("x86", "simulated", Arch.AMD64, 0, 10, 0, 10, "m6i.large",
            0.1, null);

    /** The groups without providers: these tests never call one. */
    private static Map<NodeGroup, io.archscaler.cloud.NodeGroupProvider> unprovided() {
        Map<NodeGroup, io.archscaler.cloud.NodeGroupProvider> m = new java.util.LinkedHashMap<>();
        m.put(ARM, null);
        m.put(X86, null);
        return m;
    }

    @Test
    void aListingSentBeforeTheControllersOwnScaleUpDoesNotUndoIt() {
        NodeGroups groups = new NodeGroups(unprovided(), Set::of);
        Map<String, Long> sent = groups.changeMarks();
        groups.setTarget("arm", 3);

        groups.refreshed(List.of(ARM.withTargetSize(0), X86.withTargetSize(2)), sent);

        assertThat(groups.get("arm").targetSize()).isEqualTo(3);
        assertThat(groups.get("x86").targetSize()).isEqualTo(2);
    }

    @Test
    void aListingSentAfterTheScaleUpIsTaken() {
        NodeGroups groups = new NodeGroups(unprovided(), Set::of);
        groups.setTarget("arm", 3);
        Map<String, Long> sent = groups.changeMarks();

        groups.refreshed(List.of(ARM.withTargetSize(5)), sent);

        assertThat(groups.get("arm").targetSize()).isEqualTo(5);
    }
}
