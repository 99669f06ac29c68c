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
import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods and nodes with random resource quantities, selectors, tolerations and taints: the
 * translation to the planner's model returns one or a {@link KubeTranslationException} naming
 * the object and the field; never another exception. Every quantity goes through the scaler's
 * quantity parser, so this is its property as the controller uses it. One instance for all tries,
 * so the tallies count every try.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeInputPropertiesTest {
    private static final List<String> RESOURCES = List.of("cpu", "memory", "ephemeral-storage", "pods",
            "nvidia.com/gpu", "hugepages-2Mi", "example.com/foo", "");
    private static final List<String> WORDS = List.of("", "arm64", "amd64", "NoSchedule", "NoExecute",
            "PreferNoSchedule", "Exists", "Equal", "Always", "kubernetes.io/arch", "2026-11-22T10:00:00Z", "yesterday");
    private static final List<String> QUANTITIES = List.of("500m", "1Gi", "2", "0.5", "1e3", "128974848", "129e6", "123Mi",
            "1.5Gi", "100n");

    private final NodeGroupMembership membership = NodeGroupMembership.of(ConfigLoader.standard().parse("""
            cluster: t
            nodeGroups: [{name: arm, provider: simulated, instanceType: m7g.large, maxSize: 3}]
            """, "c.yaml").nodeGroups());
    private final InputTally pods = new InputTally();
    private final InputTally nodes = new InputTally();

    @Test
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

    @ParameterizedTest(name = "seed {0}")
    @Seeds(1500)
    void podsWithRandomQuantitiesAndConstraintsAreTranslatedOrRefused(long seed) {
        tryDrawn(seed, this::podTranslatedOrRefused, pods);
    }

    @ParameterizedTest(name = "every quantity \"{0}\"")
    @FieldSource("io.archscaler.reliability.Mutations#EDGE_TEXTS")
    void podsWithTheSameEdgeValueEverywhereAreTranslatedOrRefused(String value) {
        atTheEdge(value, this::podTranslatedOrRefused);
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(1000)
    void nodesWithRandomAllocatableTaintsAndTimestampsAreTranslatedOrRefused(long seed) {
        tryDrawn(seed, this::nodeTranslatedOrRefused, nodes);
    }

    @ParameterizedTest(name = "every quantity \"{0}\"")
    @FieldSource("io.archscaler.reliability.Mutations#EDGE_TEXTS")
    void nodesWithTheSameEdgeValueEverywhereAreTranslatedOrRefused(String value) {
        atTheEdge(value, this::nodeTranslatedOrRefused);
    }

    /** What a pod or a node is made of: resource lists (init requests, requests, limits, overhead) and two words. */
    private record Drawn(List<Map<String, String>> lists, String word, String other) {
        static Drawn from(Gen gen) {
            return new Drawn(List.of(resourceList(gen), resourceList(gen), resourceList(gen), resourceList(gen)),
                    aWord(gen), aWord(gen));
        }
    }

    private static void tryDrawn(long seed, BiConsumer<Drawn, InputTally> translate, InputTally tally) {
        Drawn d = Drawn.from(new Gen(seed));
        Tries.check(seed, () -> translate.accept(d, tally), d.lists(), d.word(), d.other());
    }

    /** The value under every resource name in every list and as both words; then as a word with no resources. */
    private static void atTheEdge(String value, BiConsumer<Drawn, InputTally> translate) {
        Map<String, String> all = new LinkedHashMap<>();
        RESOURCES.forEach(r -> all.put(r, value));
        translate.accept(new Drawn(List.of(all, all, all, all), value, value), new InputTally());
        translate.accept(new Drawn(List.of(Map.of(), Map.of(), Map.of(), Map.of()), value, ""), new InputTally());
    }

    private void podTranslatedOrRefused(Drawn d, InputTally tally) {
        List<Map<String, String>> lists = d.lists();
        String word = d.word();
        String other = d.other();
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
            tally.accepted();
        } catch (KubeTranslationException e) {
            assertThat(e.getMessage()).startsWith("pod default/p");
            tally.refused(e.getMessage());
        }
    }

    private void nodeTranslatedOrRefused(Drawn d, InputTally tally) {
        List<Map<String, String>> lists = d.lists();
        String word = d.word();
        String other = d.other();
        Node node = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp(other)
                .addToLabels("kubernetes.io/arch", word).addToLabels("archscaler.io/node-group", other).endMetadata()
                .withNewSpec().addToTaints(new TaintBuilder().withKey(word).withValue(other).withEffect(word).build())
                .endSpec()
                .withNewStatus().withAllocatable(quantities(lists.get(0))).endStatus().build();
        try {
            assertThat(KubeNodes.toNode(node, membership, Resources.ZERO)).isNotNull();
            tally.accepted();
        } catch (KubeTranslationException e) {
            assertThat(e.getMessage()).startsWith("node n");
            tally.refused(e.getMessage());
        }
    }

    @AfterAll
    void record() {
        pods.write("kube-pods", "Pods: resource quantities, selectors, tolerations",
                "seeded: pods whose requests, limits, init containers and overhead hold random quantity-like strings "
                        + "and nasty values (1e400, 8Ei, -1, 99999999999999999999, ...), with random selector and "
                        + "toleration words; KubePods.toPendingPod and requests");
        nodes.write("kube-nodes", "Nodes: allocatable quantities, taints, timestamps, labels",
                "seeded: nodes with random allocatable quantities, taint effects, creation timestamps and arch labels; "
                        + "KubeNodes.toNode");
    }

    /** The texts as they are: fabric8's one-argument constructor would refuse some before the translation sees them. */
    private static Map<String, Quantity> quantities(Map<String, String> texts) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, new Quantity(v, null)));
        return out;
    }

    private static Map<String, String> resourceList(Gen gen) {
        return gen.map(4, () -> gen.pick(RESOURCES), () -> gen.oneOf(
                () -> gen.string("0123456789.+-eEkKMGTPmuni ", 12),
                () -> gen.pick(Mutations.NASTY),
                () -> gen.pick(QUANTITIES)));
    }

    private static String aWord(Gen gen) {
        return gen.oneOf(() -> gen.pick(WORDS), () -> gen.string(8));
    }
}
