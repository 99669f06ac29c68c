package io.archscaler.scaler;

import io.archscaler.scaler.model.InitContainer;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.res;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.Fixtures.tolerateEqual;
import static io.archscaler.scaler.Fixtures.tolerateExists;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static io.archscaler.scaler.model.TaintEffect.NO_EXECUTE;
import static io.archscaler.scaler.model.TaintEffect.NO_SCHEDULE;
import static io.archscaler.scaler.model.TaintEffect.PREFER_NO_SCHEDULE;
import static org.assertj.core.api.Assertions.assertThat;

/** What room the planner counts (existing, in-flight, DaemonSets) and how pods fill nodes. */
class PlannerCapacityTest {

    private static Fixtures.GroupBuilder arm() {
        return group("arm-general", ARM64);
    }

    private static Fixtures.GroupBuilder x86() {
        return group("x86-general", AMD64);
    }

    private static ScalePlan plan(Fixtures.SnapshotBuilder s) {
        return new Planner().plan(s.build());
    }

    private static int nodesPlanned(ScalePlan plan, String group) {
        return plan.scaleUps().stream().filter(u -> u.nodeGroup().equals(group)).mapToInt(ScaleUp::delta).sum();
    }

    @Test
    void freeRoomOnAnExistingNodeMeansNoScaleUp() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86())
                .nodes(node("ip-1", AMD64).group("x86-general").requested("500m", "1Gi", 3))
                .pods(Fixtures.pods("web", 3, "500m", "512Mi")));

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.onExistingCapacity()).containsExactly("default/web-00000", "default/web-00001",
                "default/web-00002");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void onlyTheRoomThatIsLeftCountsAndTheRestGetsNewNodes() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86())
                .nodes(node("ip-1", AMD64).requested("1500m", "1Gi", 3))
                .pods(Fixtures.pods("web", 3, "500m", "512Mi")));

        assertThat(plan.onExistingCapacity()).containsExactly("default/web-00000");
        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("arm-general");
            assertThat(up.pods()).containsExactly("default/web-00001", "default/web-00002");
        });
    }

    static Stream<Arguments> unusableNodes() {
        return Stream.of(
                Arguments.of("cordoned", node("ip-1", ARM64).cordoned()),
                Arguments.of("not ready", node("ip-1", ARM64).notReady()),
                Arguments.of("tainted", node("ip-1", ARM64).taint("dedicated", "db", NO_SCHEDULE)),
                Arguments.of("selected away", node("ip-1", ARM64).label("workload", "db")),
                Arguments.of("full", node("ip-1", ARM64).requested("2", "1Gi", 3)),
                Arguments.of("out of pod slots", node("ip-1", ARM64).requested("0", "0", 29)));
    }

    @ParameterizedTest(name = "a {0} node is not room")
    @MethodSource("unusableNodes")
    void roomThatPodsCannotUseDoesNotCount(String name, Fixtures.NodeBuilder node) {
        ScalePlan plan = plan(snapshot().groups(arm()).nodes(node)
                .pods(pod("web").affinity(Fixtures.term(Fixtures.req("workload", "NotIn", "db")))));

        assertThat(plan.onExistingCapacity()).isEmpty();
        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(1);
    }

    @Test
    void inFlightCapacityCountsBeforeNewNodes() {
        ScalePlan plan = plan(snapshot().groups(arm().target(1)).inFlight("arm-general", 1)
                .pods(Fixtures.pods("web", 5, "500m", "512Mi")));

        assertThat(plan.onExistingCapacity()).hasSize(4);
        assertThat(plan.scaleUps()).containsExactly(new ScaleUp("arm-general", ARM64, 1, 2,
                List.of("default/web-00004"), null));
    }

    @Test
    void inFlightCapacityOnlyTakesPodsThatFitItsGroup() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86().target(1)).inFlight("x86-general", 1)
                .pods(pod("arm-only").selector("kubernetes.io/arch", "arm64"), pod("any")));

        assertThat(plan.onExistingCapacity()).containsExactly("default/any");
        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("arm-general");
            assertThat(up.pods()).containsExactly("default/arm-only");
        });
    }

    static Stream<Arguments> taints() {
        return Stream.of(
                Arguments.of("untolerated NoSchedule", NO_SCHEDULE, pod("p"), "x86-general"),
                Arguments.of("untolerated NoExecute", NO_EXECUTE, pod("p"), "x86-general"),
                Arguments.of("PreferNoSchedule is ignored", PREFER_NO_SCHEDULE, pod("p"), "arm-general"),
                Arguments.of("Equal toleration", NO_SCHEDULE,
                        pod("p").tolerate(tolerateEqual("arch", "arm64", NO_SCHEDULE)), "arm-general"),
                Arguments.of("Equal toleration with the wrong value", NO_SCHEDULE,
                        pod("p").tolerate(tolerateEqual("arch", "amd64", NO_SCHEDULE)), "x86-general"),
                Arguments.of("Exists toleration", NO_EXECUTE, pod("p").tolerate(tolerateExists("arch", null)),
                        "arm-general"),
                Arguments.of("empty key Exists tolerates all", NO_EXECUTE, pod("p").tolerate(tolerateExists("", null)),
                        "arm-general"));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("taints")
    void anArm64GroupsTaintOnlyTakesPodsThatTolerateIt(String name, io.archscaler.scaler.model.TaintEffect effect,
                                                       Fixtures.PodBuilder pod, String expectedGroup) {
        ScalePlan plan = plan(snapshot().groups(arm().taint("arch", "arm64", effect), x86()).pods(pod));

        assertThat(plan.scaleUps()).singleElement().extracting(ScaleUp::nodeGroup).isEqualTo(expectedGroup);
    }

    @Test
    void gpuPodsOnlyFitTheGpuGroupAndOthersGoWhereRankingSends() {
        var gpu = group("gpu-a10", AMD64).capacity("8", "32Gi", 58).capacity("nvidia.com/gpu", "1").price(1.006)
                .taint("nvidia.com/gpu", "present", NO_SCHEDULE);
        var gpuUntainted = group("gpu-open", AMD64).capacity("8", "32Gi", 58).capacity("nvidia.com/gpu", "1")
                .price(1.006);
        var gpuPod = pod("train").gpu(1).cpu("4").memory("16Gi")
                .tolerate(tolerateExists("nvidia.com/gpu", NO_SCHEDULE));

        ScalePlan plan = plan(snapshot().groups(arm(), x86(), gpu, gpuUntainted)
                .pods(gpuPod, pod("web"), pod("legacy").images(AMD64)));

        // the GPU pod tolerates the taint, so both GPU groups fit it; equal price per pod, name decides
        assertThat(plan.scaleUps()).extracting(ScaleUp::nodeGroup, ScaleUp::pods).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arm-general", List.of("default/web")),
                org.assertj.core.groups.Tuple.tuple("gpu-a10", List.of("default/train")),
                org.assertj.core.groups.Tuple.tuple("x86-general", List.of("default/legacy")));
    }

    @Test
    void aGpuPodWithNoGpuGroupIsUnschedulableSayingWhy() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86()).pods(pod("train").gpu(1)));

        assertThat(plan.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason()).isEqualTo(
                "no node group can take it: arm-general doesn't fit: insufficient nvidia.com/gpu: needs 1, node has 0; "
                        + "x86-general doesn't fit: insufficient nvidia.com/gpu: needs 1, node has 0"));
    }

    private static PendingPod withRequests(String name, io.archscaler.scaler.model.Resources requests) {
        return new PendingPod("default", name, requests, null, null, null, null, "ReplicaSet/" + name);
    }

    @Test
    void initContainersCountByTheMaxRule() {
        var requests = PodRequests.effective(List.of(res("100m", "128Mi")),
                List.of(new InitContainer(res("1100m", "128Mi"), false)), null);
        ScalePlan plan = plan(snapshot().groups(arm())
                .pods(List.of(withRequests("a", requests), withRequests("b", requests))));

        // 1100m each: only one fits on a 2-cpu node
        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(2);
    }

    @Test
    void sidecarsCountBesideTheAppContainers() {
        var requests = PodRequests.effective(List.of(res("600m", "128Mi")),
                List.of(new InitContainer(res("100m", "64Mi"), true), new InitContainer(res("800m", "64Mi"), false)),
                null);
        ScalePlan plan = plan(snapshot().groups(arm())
                .pods(List.of(withRequests("a", requests), withRequests("b", requests), withRequests("c", requests))));

        // 700m each (sidecar + app; the init container's 900m peak is the max): two per 2-cpu node
        assertThat(requests.cpuMillis()).isEqualTo(900);
        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(2);
    }

    @Test
    void overheadIsPartOfTheRequests() {
        var requests = PodRequests.effective(List.of(res("500m", "128Mi")), List.of(), res("200m", "64Mi"));
        ScalePlan plan = plan(snapshot().groups(arm())
                .pods(List.of(withRequests("a", requests), withRequests("b", requests), withRequests("c", requests))));

        // 700m each: two per node, not four
        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(2);
    }

    @Test
    void thePodsPerNodeLimitHolds() {
        ScalePlan plan = plan(snapshot().groups(arm().capacity("2", "8Gi", 3))
                .pods(Fixtures.pods("tiny", 7, "10m", "16Mi")));

        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(3);
    }

    @Test
    void daemonSetsAreReservedOnEveryNewNodeTheyWouldRunOn() {
        var withDs = snapshot().groups(arm(), x86().weight(1))
                .daemonSets(pod("node-exporter").cpu("500m").memory("64Mi"),
                        pod("gpu-driver").cpu("1").memory("64Mi").selector("workload", "gpu"))
                .pods(Fixtures.pods("web", 8, "500m", "512Mi"));
        var withoutDs = snapshot().groups(arm(), x86().weight(1)).pods(Fixtures.pods("web", 8, "500m", "512Mi"));

        // 2 cpu minus 500m leaves room for 3 pods instead of 4; the gpu driver does not run here
        assertThat(nodesPlanned(plan(withDs), "arm-general")).isEqualTo(3);
        assertThat(nodesPlanned(plan(withoutDs), "arm-general")).isEqualTo(2);
    }

    @Test
    void daemonSetsTakePodSlotsToo() {
        ScalePlan plan = plan(snapshot().groups(arm().capacity("2", "8Gi", 4))
                .daemonSets(pod("a").cpu("0").memory("0"), pod("b").cpu("0").memory("0"))
                .pods(Fixtures.pods("tiny", 4, "10m", "16Mi")));

        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(2);
    }

    @Test
    void inFlightNodesAreAlsoReducedByDaemonSets() {
        ScalePlan plan = plan(snapshot().groups(arm().target(1)).inFlight("arm-general", 1)
                .daemonSets(pod("node-exporter").cpu("500m").memory("64Mi"))
                .pods(Fixtures.pods("web", 4, "500m", "512Mi")));

        assertThat(plan.onExistingCapacity()).hasSize(3);
        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(1);
    }

    @Test
    void aDaemonSetThatDoesNotTolerateTheGroupsTaintIsNotReserved() {
        ScalePlan plan = plan(snapshot().groups(arm().taint("arch", "arm64", NO_SCHEDULE))
                .daemonSets(pod("node-exporter").cpu("500m").memory("64Mi"))
                .pods(Fixtures.pods("web", 4, "500m", "512Mi").stream()
                        .map(p -> new PendingPod(p.namespace(), p.name(), p.requests(), null, null,
                                List.of(tolerateExists("arch", null)), null, null)).toList()));

        assertThat(nodesPlanned(plan, "arm-general")).isEqualTo(1);
    }

    @Test
    void equalWeightsGoToTheLowerPricePerPod() {
        var large = group("arm-large", ARM64).capacity("4", "16Gi", 58).price(0.154);
        var small = group("arm-small", ARM64).capacity("2", "8Gi", 29).price(0.080);
        ScalePlan plan = plan(snapshot().groups(small, large).pods(Fixtures.pods("web", 8, "1", "1Gi")));

        // per pod: large 0.154 / 4 = 0.0385, small 0.080 / 2 = 0.040
        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("arm-large");
            assertThat(up.delta()).isEqualTo(2);
        });
    }

    @Test
    void pricePerPodIsReckonedForEachClassOfPods() {
        var large = group("arm-large", ARM64).capacity("4", "16Gi", 58).price(0.170);
        var small = group("arm-small", ARM64).capacity("2", "8Gi", 29).price(0.080);

        // 1000m pods: large holds 4 (0.0425 a pod), small holds 2 (0.040 a pod)
        ScalePlan evenPods = plan(snapshot().groups(small, large).pods(pod("even").cpu("1").memory("1Gi")));
        // 1300m pods: large holds 3 (0.0567 a pod), small holds 1 (0.080 a pod)
        ScalePlan oddPods = plan(snapshot().groups(small, large).pods(pod("odd").cpu("1300m").memory("1Gi")));

        assertThat(evenPods.scaleUps()).singleElement().extracting(ScaleUp::nodeGroup).isEqualTo("arm-small");
        assertThat(oddPods.scaleUps()).singleElement().extracting(ScaleUp::nodeGroup).isEqualTo("arm-large");
    }

    @Test
    void podsLargerThanAnyTemplateAreUnschedulableNamingEachGroup() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86().capacity("1930m", "7Gi", 29)).pods(pod("huge").cpu("3")));

        assertThat(plan.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason()).isEqualTo(
                "no node group can take it: arm-general doesn't fit: insufficient cpu: needs 3000m, node has 2000m; "
                        + "x86-general doesn't fit: insufficient cpu: needs 3000m, node has 1930m"));
    }

    @Test
    void extendedResourcesOnExistingNodesCount() {
        var gpuNode = node("gpu-1", AMD64).build();
        var n = new io.archscaler.scaler.model.Node(gpuNode.name(), null, AMD64,
                res(Map.of("cpu", "8", "memory", "32Gi", "pods", "58", "nvidia.com/gpu", "2")),
                res(Map.of("cpu", "1", "memory", "1Gi", "pods", "1", "nvidia.com/gpu", "1")),
                gpuNode.labels(), List.of(), false, true, gpuNode.created());
        ScalePlan plan = plan(snapshot().groups(x86()).node(n).pods(pod("a").gpu(1), pod("b").gpu(1)));

        assertThat(plan.onExistingCapacity()).containsExactly("default/a");
        assertThat(plan.unschedulable()).extracting(u -> u.pod()).containsExactly("default/b");
    }
}
