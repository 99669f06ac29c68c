package io.archscaler.bench;

import io.archscaler.cloud.instancetypes.InstanceType;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticClusterTest {
    private static final BenchSpec SPEC = new BenchSpec(3_000, 20, 400, 50, 7);

    @Test
    void theSameSpecGivesTheSameCluster() {
        assertThat(SyntheticCluster.generate(SPEC)).isEqualTo(SyntheticCluster.generate(SPEC));
        assertThat(SyntheticCluster.generate(SPEC)).isNotEqualTo(
                SyntheticCluster.generate(new BenchSpec(3_000, 20, 400, 50, 8)));
    }

    @Test
    void theClusterHasTheSizesAskedForHalfOfItsGroupsArm64() {
        ClusterSnapshot c = SyntheticCluster.generate(SPEC);

        assertThat(c.pendingPods()).hasSize(3_000);
        assertThat(c.nodes()).hasSize(400);
        assertThat(c.nodeGroups()).hasSize(20);
        assertThat(c.nodeGroups().stream().filter(g -> g.arch() == Arch.ARM64)).hasSize(10);
        assertThat(c.nodeGroups().stream().filter(g -> g.template().allocatable().extended("nvidia.com/gpu") > 0)).hasSize(2);
        assertThat(c.nodeGroups().stream().filter(g -> !g.template().taints().isEmpty())).hasSize(4);
        assertThat(c.pendingPods().stream().map(PendingPod::key).distinct()).hasSize(3_000);
    }

    @Test
    void groupsUseCatalogInstanceTypesAtCatalogPrices() {
        InstanceTypeCatalog catalog = InstanceTypeCatalog.bundled();

        for (NodeGroup g : SyntheticCluster.generate(SPEC).nodeGroups()) {
            InstanceType type = catalog.find(g.instanceType()).orElseThrow();
            assertThat(g.arch()).isEqualTo(type.arch());
            assertThat(g.pricePerHour()).isEqualTo(type.pricePerHour());
        }
    }

    @Test
    void podsFallIntoTheClassesAskedForSeventyPercentFlexibleTwentyAmd64Locked() {
        ClusterSnapshot c = SyntheticCluster.generate(new BenchSpec(5_000, 20, 0, 100, 3));
        Map<List<Object>, PendingPod> classes = new HashMap<>();
        for (PendingPod p : c.pendingPods()) {
            classes.putIfAbsent(List.of(p.requests(), p.nodeSelector(), p.requiredAffinity(), p.tolerations(),
                    String.valueOf(p.imageArchs())), p);
        }

        assertThat(classes).hasSize(100);
        long locked = classes.values().stream().filter(p -> p.tolerations().isEmpty()
                && ("amd64".equals(p.nodeSelector().get("kubernetes.io/arch")) || !p.requiredAffinity().isEmpty()
                && p.requiredAffinity().get(0).matchExpressions().get(0).key().equals("kubernetes.io/arch"))).count();
        long flexible = classes.values().stream().filter(p -> p.nodeSelector().isEmpty() && p.requiredAffinity().isEmpty()
                && p.tolerations().isEmpty()).count();
        assertThat(locked).isEqualTo(20);
        assertThat(flexible).isEqualTo(70);
    }

    @Test
    void aSpecWithTooFewGroupsIsRefused() {
        assertThatThrownBy(() -> new BenchSpec(10, 4, 0, 1, 1)).hasMessageContaining("--node-groups must be even and at least 6");
    }
}
