package io.archscaler.providers;

import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ConfigException;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The explicit mapping between a configured group and the provider's group it names. */
class GroupMappingTest {
    private static final Resources M7G_ALLOCATABLE = new Resources(1930, 7_000L << 20, 18L << 30, 29, Map.of());
    private static final Taint ARCH_TAINT = new Taint("arch", "arm64", TaintEffect.NO_SCHEDULE);

    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    /** The EKS node group {@code name} as EksProvider reports it: its own name, its own sizes. */
    private static NodeGroup reported(String name, Arch arch, int min, int max, int target) {
        Map<String, String> labels = Map.of("eks.amazonaws.com/nodegroup", name, "workload", "general");
        return new NodeGroup(name, "eks", arch, min, max, target, NodeGroup.defaultWeight(arch), "m7g.large", 0.0816,
                NodeTemplate.forGroup(name, arch, "m7g.large", M7G_ALLOCATABLE, labels, List.of(ARCH_TAINT)));
    }

    /** One configured group: {@code name: arm, provider: eks, eks: {nodegroupName: arm-ng-2024}} plus {@code extra} keys. */
    private NodeGroupConfig configured(String extra) {
        return configured(50, extra);
    }

    private NodeGroupConfig configured(int maxSize, String extra) {
        return loader.parse("""
                cluster: prod
                nodeGroups:
                  - name: arm
                    provider: eks
                    instanceType: m7g.large
                    maxSize: %d
                    eks: {nodegroupName: arm-ng-2024}
                """.formatted(maxSize) + extra, "config.yaml").nodeGroups().get(0);
    }

    private static GroupMapping mapping(NodeGroupConfig c) {
        return GroupMapping.configured("eks", Map.of("arm-ng-2024", c));
    }

    @Test
    void aConfiguredGroupIsCalledByItsNameAndKeepsTheProvidersTargetSizeArchAndCapacity() {
        List<NodeGroup> groups = mapping(configured("")).toArchscaler(List.of(reported("arm-ng-2024", Arch.ARM64, 0, 10, 3)));

        assertThat(groups).hasSize(1);
        NodeGroup g = groups.get(0);
        assertThat(g.name()).isEqualTo("arm");
        assertThat(g.provider()).isEqualTo("eks");
        assertThat(g.arch()).isEqualTo(Arch.ARM64);
        assertThat(g.targetSize()).isEqualTo(3);
        assertThat(g.instanceType()).isEqualTo("m7g.large");
        assertThat(g.template().allocatable()).isEqualTo(M7G_ALLOCATABLE);
        assertThat(g.template().labels()).containsEntry(NodeTemplate.GROUP_LABEL, "arm")
                .containsEntry("eks.amazonaws.com/nodegroup", "arm-ng-2024");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what the file gives                  | weight | price  | min | max
            "nothing but maxSize 50                 |        |   100 | 0.0816 | 1 | 10",
            "weight 300                             | 'weight: 300'        |   300 | 0.0816 | 1 | 10",
            "a price                                | 'pricePerHour: 0.05' |   100 | 0.05   | 1 | 10",
            "minSize 3, inside the provider's range | 'minSize: 3'         |   100 | 0.0816 | 3 | 10",
            "minSize 0, below the provider's min    | 'minSize: 0'         |   100 | 0.0816 | 1 | 10",
    })
    void givenValuesOverlayTheProvidersAndSizesStayWithinItsLimits(String what, String extra, int weight,
                                                                    double price, int min, int max) {
        String yaml = extra == null ? "" : "    " + extra + "\n";
        NodeGroup g = mapping(configured(yaml)).toArchscaler(List.of(reported("arm-ng-2024", Arch.ARM64, 1, 10, 2)))
                .get(0);

        assertThat(g.weight()).isEqualTo(weight);
        assertThat(g.pricePerHour()).isEqualTo(price);
        assertThat(g.minSize()).isEqualTo(min);
        assertThat(g.maxSize()).isEqualTo(max);
    }

    @Test
    void aMaxSizeBelowTheProvidersIsKept() {
        NodeGroup g = mapping(configured(4, ""))
                .toArchscaler(List.of(reported("arm-ng-2024", Arch.ARM64, 0, 10, 2))).get(0);
        assertThat(g.maxSize()).isEqualTo(4);
    }

    @Test
    void configuredLabelsAndTaintsAreAddedAndReplaceTheProvidersOfTheSameKey() {
        NodeGroupConfig c = configured("""
                    labels: {workload: batch, team: ml}
                    taints:
                      - {key: arch, value: graviton, effect: NoSchedule}
                      - {key: dedicated, value: ml, effect: NoExecute}
                """);

        NodeGroup g = mapping(c).toArchscaler(List.of(reported("arm-ng-2024", Arch.ARM64, 0, 10, 0))).get(0);

        assertThat(g.template().labels()).containsEntry("workload", "batch").containsEntry("team", "ml")
                .containsEntry("eks.amazonaws.com/nodegroup", "arm-ng-2024").containsEntry("kubernetes.io/arch", "arm64");
        assertThat(g.template().taints()).containsExactly(new Taint("arch", "graviton", TaintEffect.NO_SCHEDULE),
                new Taint("dedicated", "ml", TaintEffect.NO_EXECUTE));
    }

    @Test
    void aProviderReportingAnotherArchThanConfiguredIsAConfigError() {
        GroupMapping m = mapping(configured(""));
        List<NodeGroup> amd64 = List.of(reported("arm-ng-2024", Arch.AMD64, 0, 10, 0));

        assertThatThrownBy(() -> m.toArchscaler(amd64))
                .isInstanceOf(ConfigException.class)
                .hasMessage("node group arm: configured as arm64 (from instance type m7g.large), but eks reports"
                        + " arm-ng-2024 as amd64 (m7g.large); fix arch or instanceType in the config");
    }

    @Test
    void discoveredGroupsPassThroughUnlessExcludedOrDiscoveryIsOff() {
        NodeGroupConfig c = configured("");
        List<NodeGroup> reported = List.of(reported("arm-ng-2024", Arch.ARM64, 0, 10, 0),
                reported("x86-batch", Arch.AMD64, 0, 5, 1), reported("arm", Arch.ARM64, 0, 5, 0),
                reported("gpu", Arch.AMD64, 0, 2, 0));

        assertThat(mapping(c).toArchscaler(reported)).extracting(NodeGroup::name).containsExactly("arm");
        assertThat(mapping(c).withDiscovered(Set.of("arm", "gpu")).toArchscaler(reported))
                .extracting(NodeGroup::name).containsExactly("arm", "x86-batch");
        // the configured "arm" is the EKS group arm-ng-2024, not the EKS group that happens to be called arm
        assertThat(mapping(c).withDiscovered(Set.of("arm", "gpu")).toArchscaler(reported).get(0).targetSize()).isZero();
    }

    @Test
    void callsGoToTheProvidersNameAndNamesThatAreNotArchscalersAreRefused() {
        GroupMapping m = mapping(configured("")).withDiscovered(Set.of("arm"));

        assertThat(m.providerName("arm")).isEqualTo("arm-ng-2024");
        assertThat(m.providerName("x86-batch")).isEqualTo("x86-batch");
        assertThat(m.accepts("arm")).isTrue();
        assertThat(m.accepts("x86-batch")).isTrue();
        assertThat(m.accepts("arm-ng-2024")).as("a configured group's provider name").isFalse();
        assertThat(mapping(configured("")).accepts("x86-batch")).as("discovery off").isFalse();
    }

    @Test
    void theMappedProviderScalesTheProvidersGroupAndRefusesOthers() {
        RecordingProvider eks = new RecordingProvider();
        MappedNodeGroupProvider mapped = new MappedNodeGroupProvider(eks, mapping(configured("")));

        mapped.increaseSize("arm", 2).toCompletableFuture().join();
        mapped.deleteNodes("arm", List.of(new NodeRef("ip-10-0-1-7", "aws:///us-west-2a/i-0abc"))).toCompletableFuture()
                .join();

        assertThat(eks.calls).containsExactly("increaseSize arm-ng-2024 2", "deleteNodes arm-ng-2024 ip-10-0-1-7");
        assertThatThrownBy(() -> mapped.increaseSize("arm-ng-2024", 1).toCompletableFuture().join())
                .cause().isInstanceOf(NodeGroupNotFoundException.class)
                .hasMessage("eks increaseSize: no node group named arm-ng-2024");
        assertThat(eks.calls).hasSize(2);
    }

    /** Records the calls it gets, by the names it gets them. */
    private static final class RecordingProvider implements NodeGroupProvider {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "eks";
        }

        @Override
        public CompletionStage<List<NodeGroup>> nodeGroups() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
            calls.add("increaseSize " + nodeGroup + " " + delta);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
            calls.add("deleteNodes " + nodeGroup + " " + nodes.get(0).name());
            return CompletableFuture.completedFuture(null);
        }
    }
}
