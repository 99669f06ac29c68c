package io.archscaler.kube;

import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.model.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubePodsTest {
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    @Test
    void sumsContainerRequests() {
        Pod pod = pod("web", List.of(container("app", Map.of("cpu", "250m", "memory", "256Mi"), Map.of()),
                container("proxy", Map.of("cpu", "100m", "memory", "64Mi"), Map.of())), List.of());
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(350, 320 * MI, 0, 1, Map.of()));
    }

    @Test
    void initContainersCountByTheMaxRule() {
        Pod pod = pod("migrating", List.of(container("app", Map.of("cpu", "500m", "memory", "1Gi"), Map.of())),
                List.of(container("migrate", Map.of("cpu", "2", "memory", "256Mi"), Map.of())));
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(2000, GI, 0, 1, Map.of()));
    }

    @Test
    void sidecarsRunBesideTheAppContainers() {
        Container sidecar = new ContainerBuilder(container("mesh", Map.of("cpu", "100m", "memory", "128Mi"), Map.of()))
                .withRestartPolicy("Always").build();
        Pod pod = pod("meshed", List.of(container("app", Map.of("cpu", "500m", "memory", "512Mi"), Map.of())),
                List.of(sidecar, container("init", Map.of("cpu", "550m"), Map.of())));
        // running: 500m + 100m sidecar; the plain init container runs beside the sidecar: 550m + 100m
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(650, 640 * MI, 0, 1, Map.of()));
    }

    @Test
    void overheadIsAdded() {
        Pod pod = new PodBuilder(pod("kata", List.of(container("app", Map.of("cpu", "1", "memory", "1Gi"), Map.of())),
                List.of())).editSpec().withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("160Mi")))
                .withRuntimeClassName("kata").endSpec().build();
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(1250, 1184 * MI, 0, 1, Map.of()));
    }

    @Test
    void gpuLimitWithoutARequestRequestsTheLimit() {
        Pod pod = pod("train", List.of(container("cuda", Map.of("cpu", "4", "memory", "16Gi"),
                Map.of("nvidia.com/gpu", "1", "memory", "16Gi"))), List.of());
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(4000, 16 * GI, 0, 1, Map.of("nvidia.com/gpu", 1L)));
    }

    @Test
    void ephemeralStorageIsCounted() {
        Pod pod = pod("scratch", List.of(container("app", Map.of("cpu", "100m", "ephemeral-storage", "2Gi"), Map.of())),
                List.of());
        assertThat(KubePods.requests(pod).ephemeralStorageBytes()).isEqualTo(2 * GI);
    }

    @Test
    void podLevelRequestsReplaceTheContainersSum() {
        Pod pod = new PodBuilder(pod("shared", List.of(container("a", Map.of("cpu", "100m", "memory", "100Mi"), Map.of()),
                container("b", Map.of("cpu", "100m", "memory", "100Mi"), Map.of())), List.of()))
                .editSpec().withNewResources().withRequests(Map.of("cpu", new Quantity("1"))).endResources().endSpec()
                .build();
        assertThat(KubePods.requests(pod)).isEqualTo(new Resources(1000, 200 * MI, 0, 1, Map.of()));
    }

    @Test
    void translatesSelectorsAffinityTolerationsAndOwner() {
        Pod pod = new PodBuilder(pod("api-7d9f-abcde", List.of(container("api", Map.of("cpu", "1"), Map.of())), List.of()))
                .editMetadata()
                .addNewOwnerReference().withKind("ReplicaSet").withName("api-7d9f").withController(true).endOwnerReference()
                .endMetadata()
                .editSpec()
                .withNodeSelector(Map.of("workload", "general"))
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("kubernetes.io/arch").withOperator("In").withValues("arm64", "amd64").endMatchExpression()
                .addNewMatchExpression().withKey("spot").withOperator("DoesNotExist").endMatchExpression()
                .endNodeSelectorTerm()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("kubernetes.io/arch").withOperator("NotIn").withValues("arm64").endMatchExpression()
                .addNewMatchField().withKey("metadata.name").withOperator("In").withValues("node-1").endMatchField()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .addNewToleration().withKey("arch").withOperator("Equal").withValue("arm64").withEffect("NoSchedule").endToleration()
                .addNewToleration().withKey("dedicated").withOperator("Exists").withEffect("").endToleration()
                .addNewToleration().withOperator("Exists").endToleration()
                .endSpec().build();

        PendingPod p = KubePods.toPendingPod(pod);

        assertThat(p.key()).isEqualTo("shop/api-7d9f-abcde");
        assertThat(p.nodeSelector()).isEqualTo(Map.of("workload", "general"));
        assertThat(p.requiredAffinity()).containsExactly(
                new NodeSelectorTerm(List.of(
                        new NodeSelectorRequirement("kubernetes.io/arch", "In", List.of("arm64", "amd64")),
                        new NodeSelectorRequirement("spot", "DoesNotExist", List.of()))),
                new NodeSelectorTerm(List.of(
                        new NodeSelectorRequirement("kubernetes.io/arch", "NotIn", List.of("arm64"))),
                        List.of(new NodeSelectorRequirement("metadata.name", "In", List.of("node-1")))));
        assertThat(p.tolerations()).containsExactly(
                new Toleration("arch", "Equal", "arm64", TaintEffect.NO_SCHEDULE),
                new Toleration("dedicated", "Exists", "", null),
                new Toleration("", "Exists", "", null));
        assertThat(p.ownerKey()).isEqualTo("ReplicaSet/api-7d9f");
        assertThat(p.imageArchs()).isNull();
        assertThat(p.requests()).isEqualTo(new Resources(1000, 0, 0, 1, Map.of()));
    }

    @Test
    void aTermWithOnlyMatchFieldsPinsThePodToThatNodeByName() {
        Pod pod = new PodBuilder(pod("pinned", List.of(container("a", Map.of(), Map.of())), List.of()))
                .editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchField().withKey("metadata.name").withOperator("In").withValues("node-1").endMatchField()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        assertThat(KubePods.toPendingPod(pod).requiredAffinity()).containsExactly(new NodeSelectorTerm(List.of(),
                List.of(new NodeSelectorRequirement("metadata.name", "In", List.of("node-1")))));
    }

    @Test
    void aNonControllingOwnerIsNotTheOwnerKey() {
        Pod pod = new PodBuilder(pod("bare", List.of(container("a", Map.of(), Map.of())), List.of()))
                .editMetadata().addNewOwnerReference().withKind("ConfigMap").withName("x").endOwnerReference().endMetadata()
                .build();
        assertThat(KubePods.ownerKey(pod)).isNull();
        assertThat(KubePods.toPendingPod(pod).ownerKey()).isNull();
    }

    @Test
    void badQuantityNamesThePodAndTheField() {
        Pod pod = pod("web-1", List.of(container("web", Map.of("cpu", "two"), Map.of())), List.of());
        assertThatThrownBy(() -> KubePods.toPendingPod(pod))
                .isInstanceOf(KubeTranslationException.class)
                .hasMessage("pod shop/web-1: spec.containers[web].resources.requests.cpu: invalid quantity \"two\":"
                        + " expected a number such as 500m, 2, 1.5Gi");
    }

    @Test
    void badInitContainerQuantityNamesTheInitContainer() {
        Pod pod = pod("web-1", List.of(container("web", Map.of(), Map.of())),
                List.of(container("setup", Map.of(), Map.of("memory", "1GB"))));
        assertThatThrownBy(() -> KubePods.requests(pod))
                .isInstanceOf(KubeTranslationException.class)
                .hasMessageStartingWith("pod shop/web-1: spec.initContainers[setup].resources.requests.memory:"
                        + " invalid quantity \"1GB\": unknown suffix \"GB\"");
    }

    @Test
    void badTolerationEffectNamesThePod() {
        Pod pod = new PodBuilder(pod("web-1", List.of(container("web", Map.of(), Map.of())), List.of()))
                .editSpec().addNewToleration().withKey("a").withEffect("NoScheduleNow").endToleration().endSpec().build();
        assertThatThrownBy(() -> KubePods.toPendingPod(pod))
                .hasMessage("pod shop/web-1: spec.tolerations: unknown effect \"NoScheduleNow\" (expected NoSchedule,"
                        + " PreferNoSchedule or NoExecute)");
    }

    @ParameterizedTest
    @CsvSource({
            // phase,     nodeName, pending, boundAndActive
            "Pending,     '',       true,    false",
            "Pending,     node-1,   false,   true",
            "Running,     node-1,   false,   true",
            "Succeeded,   node-1,   false,   false",
            "Failed,      node-1,   false,   false",
            "Unknown,     node-1,   false,   true",
    })
    void classifiesPodsByPhaseAndBinding(String phase, String nodeName, boolean pending, boolean active) {
        Pod pod = new PodBuilder(pod("p", List.of(container("a", Map.of(), Map.of())), List.of()))
                .editSpec().withNodeName(nodeName.isEmpty() ? null : nodeName).endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
        assertThat(KubePods.isPending(pod)).isEqualTo(pending);
        assertThat(KubePods.isBoundAndActive(pod)).isEqualTo(active);
    }

    @Test
    void daemonSetTemplatesAreOnePerDaemonSet() {
        Pod proxyB = daemonPod("kube-proxy-bbbbb", "kube-proxy", "100m", "node-2");
        Pod proxyA = daemonPod("kube-proxy-aaaaa", "kube-proxy", "100m", "node-1");
        Pod cni = daemonPod("aws-node-ccccc", "aws-node", "25m", "node-1");
        Pod web = new PodBuilder(pod("web", List.of(container("a", Map.of("cpu", "1"), Map.of())), List.of()))
                .editMetadata().addNewOwnerReference().withKind("ReplicaSet").withName("web-1").withController(true)
                .endOwnerReference().endMetadata().build();

        List<PendingPod> templates = KubePods.daemonSetTemplates(List.of(proxyB, web, cni, proxyA));

        assertThat(templates).extracting(PendingPod::key).containsExactlyInAnyOrder(
                "kube-system/aws-node-ccccc", "kube-system/kube-proxy-aaaaa");
        assertThat(templates).allSatisfy(t -> assertThat(t.requiredAffinity()).isEmpty());
        assertThat(templates).extracting(PendingPod::ownerKey)
                .containsExactlyInAnyOrder("DaemonSet/aws-node", "DaemonSet/kube-proxy");
        assertThat(KubePods.ownedByDaemonSet(proxyA)).isTrue();
        assertThat(KubePods.ownedByDaemonSet(web)).isFalse();
    }

    @Test
    void aDaemonSetTemplateKeepsItsOwnAffinityWithoutTheNodePin() {
        // the DaemonSet controller adds the metadata.name field to every term the template has
        Pod pod = new PodBuilder(daemonPod("agent-aaaaa", "agent", "50m", "node-1"))
                .editSpec().editAffinity().editNodeAffinity().editRequiredDuringSchedulingIgnoredDuringExecution()
                .editFirstNodeSelectorTerm()
                .addNewMatchExpression().withKey("kubernetes.io/arch").withOperator("In").withValues("arm64").endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();

        assertThat(KubePods.daemonSetTemplates(List.of(pod))).singleElement()
                .satisfies(t -> assertThat(t.requiredAffinity()).containsExactly(new NodeSelectorTerm(List.of(
                        new NodeSelectorRequirement("kubernetes.io/arch", "In", List.of("arm64"))))));
    }

    private static Pod daemonPod(String name, String daemonSet, String cpu, String node) {
        return new PodBuilder(pod(name, List.of(container("c", Map.of("cpu", cpu), Map.of())), List.of()))
                .editMetadata().withNamespace("kube-system")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName(daemonSet)
                .withController(true).endOwnerReference().endMetadata()
                .editSpec().withNodeName(node)
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node).endMatchField()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()
                .build();
    }

    static Pod pod(String name, List<Container> containers, List<Container> inits) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
                .withNewSpec().withContainers(containers).withInitContainers(inits).endSpec().build();
    }

    static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
        return new ContainerBuilder().withName(name).withImage("example/" + name + ":1")
                .withNewResources().withRequests(quantities(requests)).withLimits(quantities(limits)).endResources()
                .build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> m) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }
}
