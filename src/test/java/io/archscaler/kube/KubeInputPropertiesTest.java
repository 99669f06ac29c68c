package io.archscaler.kube;

import io.archscaler.config.ConfigLoader;
import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods and nodes with random resource quantities, selectors, tolerations and taints: the
 * translation to the planner's model returns one or a {@link KubeTranslationException} naming
 * the object and the field; never another exception. Every quantity goes through the scaler's
 * quantity parser, so this is its property as the controller uses it.
 */
class KubeInputPropertiesTest {
    private static final List<String> RESOURCES = List.of("cpu", "memory", "ephemeral-storage", "pods",
            "nvidia.com/gpu", "hugepages-2Mi", "example.com/foo", "");

    private final NodeGroupMembership membership = NodeGroupMembership.of(ConfigLoader.standard().parse("""
            cluster: t
            nodeGroups: [{name: arm, provider: simulated, instanceType: m7g.large, maxSize: 3}]
            """, "c.yaml").nodeGroups());
    private final InputTally pods = new InputTally();
    private final InputTally nodes = new InputTally();

    @Example
    void requestsTooLargeToAddUpDoNotWrapAroundToNegative() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewSpec()
                .addToContainers(new ContainerBuilder().withName("a").withNewResources()
                        .withRequests(quantities(Map.of("memory", "5Ei", "cpu", "5000000000000000"))).endResources().build())
                .addToContainers(new ContainerBuilder().withName("b").withNewResources()
                        .withRequests(quantities(Map.of("memory", "5Ei", "cpu", "5000000000000000"))).endResources().build())
                .endSpec().build();
        Resources r = KubePods.requests(pod);
        assertThat(r.memoryBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.cpuMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Property(tries = 1500)
    void podsWithRandomQuantitiesAndConstraintsAreTranslatedOrRefused(@ForAll("resourceLists") List<Map<String, String>> lists,
                                                                      @ForAll("words") String word,
                                                                      @ForAll("words") String other) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewSpec()
                .addToNodeSelector(word, other)
                .addToTolerations(new TolerationBuilder().withKey(word).withOperator(other).withValue(word)
                        .withEffect(other).build())
                .addToInitContainers(new ContainerBuilder().withName("init").withRestartPolicy(other).withNewResources()
                        .withRequests(quantities(lists.get(0))).endResources().build())
                .addToContainers(new ContainerBuilder().withName("c").withNewResources()
                        .withRequests(quantities(lists.get(1))).withLimits(quantities(lists.get(2))).endResources().build())
                .withOverhead(quantities(lists.get(3)))
                .endSpec().build();
        try {
            assertThat(KubePods.toPendingPod(pod)).isNotNull();
            Resources r = KubePods.requests(pod);
            assertThat(r.cpuMillis()).isNotNegative();
            assertThat(r.memoryBytes()).isNotNegative();
            pods.accepted();
        } catch (KubeTranslationException e) {
            assertThat(e.getMessage()).startsWith("pod default/p");
            pods.refused(e.getMessage());
        }
    }

    @Property(tries = 1000)
    void nodesWithRandomAllocatableTaintsAndTimestampsAreTranslatedOrRefused(@ForAll("resourceLists") List<Map<String, String>> lists,
                                                                             @ForAll("words") String word,
                                                                             @ForAll("words") String other) {
        Node node = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp(other)
                .addToLabels("kubernetes.io/arch", word).addToLabels("archscaler.io/node-group", other).endMetadata()
                .withNewSpec().addToTaints(new TaintBuilder().withKey(word).withValue(other).withEffect(word).build())
                .endSpec()
                .withNewStatus().withAllocatable(quantities(lists.get(0))).endStatus().build();
        try {
            assertThat(KubeNodes.toNode(node, membership, Resources.ZERO)).isNotNull();
            nodes.accepted();
        } catch (KubeTranslationException e) {
            assertThat(e.getMessage()).startsWith("node n");
            nodes.refused(e.getMessage());
        }
    }

    @AfterProperty
    void record() {
        pods.write("kube-pods", "Pods: resource quantities, selectors, tolerations",
                "jqwik: pods whose requests, limits, init containers and overhead hold random quantity-like strings "
                        + "and nasty values (1e400, 8Ei, -1, 99999999999999999999, ...), with random selector and "
                        + "toleration words; KubePods.toPendingPod and requests");
        nodes.write("kube-nodes", "Nodes: allocatable quantities, taints, timestamps, labels",
                "jqwik: nodes with random allocatable quantities, taint effects, creation timestamps and arch labels; "
                        + "KubeNodes.toNode");
    }

    /** The texts as they are: fabric8's one-argument constructor would refuse some before the translation sees them. */
    private static Map<String, Quantity> quantities(Map<String, String> texts) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, new Quantity(v, null)));
        return out;
    }

    @Provide
    Arbitrary<List<Map<String, String>>> resourceLists() {
        Arbitrary<String> quantity = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789.+-eEkKMGTPmuni ").ofMaxLength(12),
                Arbitraries.of(Mutations.NASTY),
                Arbitraries.of("500m", "1Gi", "2", "0.5", "1e3", "128974848", "129e6", "123Mi", "1.5Gi", "100n"));
        Arbitrary<Map<String, String>> list = Arbitraries.maps(Arbitraries.of(RESOURCES), quantity).ofMaxSize(4);
        return Combinators.combine(list, list, list, list).as(List::of);
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.oneOf(Arbitraries.of("", "arm64", "amd64", "NoSchedule", "NoExecute", "PreferNoSchedule",
                "Exists", "Equal", "Always", "kubernetes.io/arch", "2026-11-22T10:00:00Z", "yesterday"),
                Arbitraries.strings().ofMaxLength(8));
    }
}
