package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.archscaler.cloud.clusterapi.CapiObjects.dockerMachineTemplate;
import static io.archscaler.cloud.clusterapi.CapiObjects.machine;
import static io.archscaler.cloud.clusterapi.CapiObjects.machineDeployment;
import static io.archscaler.cloud.clusterapi.CapiObjects.ownedMachineSet;
import static io.archscaler.cloud.clusterapi.CapiObjects.scalable;
import static io.archscaler.cloud.clusterapi.CapiObjects.sizes;
import static io.archscaler.cloud.clusterapi.CapiObjects.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ClusterApiNodeGroupProviderMockTest {
    private static final String NS = "fleet";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ResourceDefinitionContext DOCKER_MACHINE_TEMPLATES =
            CapiKinds.context("infrastructure.cluster.x-k8s.io", "v1beta1", "DockerMachineTemplate");
    private static final String SCALE_PATH = "/apis/cluster.x-k8s.io/v1beta1/namespaces/fleet/machinedeployments/%s/scale";

    private final KubernetesSerialization json = new KubernetesSerialization();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ExecutorService executor;
    private ClusterApiNodeGroupProvider provider;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ScaleSubresourceDispatcher(), false);
        server.init();
        client = server.createClient();
        executor = Executors.newFixedThreadPool(2);
        provider = new ClusterApiNodeGroupProvider(client, ClusterApiConfig.inNamespace(NS), executor,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void discoversAnnotatedMachineDeploymentsAndStandaloneMachineSetsAsNodeGroups() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 2, with(sizes(1, 10),
                CapiKinds.LABELS, "kubernetes.io/arch=arm64"), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "x86", 0, sizes(0, 4), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "not-autoscaled", 3, Map.of(), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment("elsewhere", "other-ns", 1, sizes(0, 3), null));
        create(CapiKinds.MACHINE_SETS, ownedMachineSet(NS, "arm-7d9f8", "arm", 2, sizes(1, 10)));
        create(CapiKinds.MACHINE_SETS, scalable("MachineSet", NS, "standalone", 1, sizes(1, 2), null));

        List<NodeGroup> groups = get(provider.nodeGroups());

        assertThat(groups).extracting(NodeGroup::name, NodeGroup::provider, NodeGroup::arch,
                        NodeGroup::minSize, NodeGroup::maxSize, NodeGroup::targetSize, NodeGroup::weight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("fleet/arm", "clusterapi", Arch.ARM64, 1, 10, 2, 100),
                        org.assertj.core.groups.Tuple.tuple("fleet/standalone", "clusterapi", Arch.AMD64, 1, 2, 1, 10),
                        org.assertj.core.groups.Tuple.tuple("fleet/x86", "clusterapi", Arch.AMD64, 0, 4, 0, 10));
    }

    @Test
    void explicitGroupNamesSelectAndRenameResources() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 2, sizes(1, 10), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "x86", 0, sizes(0, 4), null));
        ClusterApiNodeGroupProvider named = new ClusterApiNodeGroupProvider(client,
                ClusterApiConfig.allNamespaces().withGroupNames(Map.of("fleet/arm", "arm-general")), executor,
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(get(named.nodeGroups())).extracting(NodeGroup::name).containsExactly("arm-general");
        get(named.increaseSize("arm-general", 1));

        assertThat(replicas("arm")).isEqualTo(3);
        assertThat(catchThrowable(() -> get(named.increaseSize("fleet/x86", 1))))
                .isInstanceOf(NodeGroupNotFoundException.class);
    }

    @Test
    void scaleFromZeroTemplateComesFromCapacityAnnotations() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "batch", 0, with(sizes(0, 20),
                CapiKinds.CPU, "4",
                CapiKinds.MEMORY, "16Gi",
                CapiKinds.EPHEMERAL_DISK, "100Gi",
                CapiKinds.MAX_PODS, "58",
                CapiKinds.GPU_TYPE, "nvidia.com/gpu",
                CapiKinds.GPU_COUNT, "1",
                CapiKinds.LABELS, "kubernetes.io/arch=arm64,node.kubernetes.io/instance-type=c7g.xlarge,workload=batch",
                CapiKinds.TAINTS, "dedicated=batch:NoSchedule,arch=arm64:NoExecute"), null));

        NodeGroup group = get(provider.nodeGroups()).get(0);

        assertThat(group.targetSize()).isZero();
        assertThat(group.arch()).isEqualTo(Arch.ARM64);
        assertThat(group.instanceType()).isEqualTo("c7g.xlarge");
        assertThat(group.template().allocatable()).isEqualTo(new Resources(4000, 16L << 30, 100L << 30, 58,
                Map.of("nvidia.com/gpu", 1L)));
        assertThat(group.template().labels()).containsEntry("kubernetes.io/arch", "arm64")
                .containsEntry("node.kubernetes.io/instance-type", "c7g.xlarge")
                .containsEntry("workload", "batch")
                .containsEntry("node-role.kubernetes.io/worker", "")
                .containsEntry("archscaler.io/node-group", "fleet/batch")
                .doesNotContainKey("app.example.com/not-propagated");
        assertThat(group.template().taints()).containsExactly(
                new Taint("dedicated", "batch", TaintEffect.NO_SCHEDULE),
                new Taint("arch", "arm64", TaintEffect.NO_EXECUTE));
    }

    @Test
    void archAndCapacityComeFromInfrastructureTemplateStatusWhenAnnotationsAreSilent() throws Throwable {
        create(DOCKER_MACHINE_TEMPLATES, dockerMachineTemplate(NS, "graviton", "arm64",
                Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "50Gi")));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "metal-arm", 0,
                with(sizes(0, 8), CapiKinds.MEMORY, "30Gi"), "graviton"));

        NodeGroup group = get(provider.nodeGroups()).get(0);

        assertThat(group.arch()).isEqualTo(Arch.ARM64);
        assertThat(group.template().labels()).containsEntry("kubernetes.io/arch", "arm64");
        // the memory annotation wins over status.capacity; pods default to 110 as in the Cluster Autoscaler
        assertThat(group.template().allocatable()).isEqualTo(new Resources(8000, 30L << 30, 50L << 30, 110, Map.of()));
    }

    @Test
    void groupWithoutArchAnywhereTakesTheConfiguredDefault() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "plain", 1, sizes(0, 3), "missing-template"));
        ClusterApiNodeGroupProvider armByDefault = new ClusterApiNodeGroupProvider(client,
                ClusterApiConfig.inNamespace(NS).withDefaultArch(Arch.ARM64), executor, Clock.systemUTC());

        assertThat(get(provider.nodeGroups())).extracting(NodeGroup::arch).containsExactly(Arch.AMD64);
        assertThat(get(armByDefault.nodeGroups())).extracting(NodeGroup::arch).containsExactly(Arch.ARM64);
    }

    @Test
    void groupWithUnreadableAnnotationIsSkippedAndOthersStillDiscovered() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "bad-max", 1, with(sizes(0, 1),
                CapiKinds.MAX_SIZE, "five"), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "bad-taint", 1, with(sizes(0, 3),
                CapiKinds.TAINTS, "dedicated=batch:Sometimes"), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "good", 1, sizes(0, 3), null));

        assertThat(get(provider.nodeGroups())).extracting(NodeGroup::name).containsExactly("fleet/good");
        assertThat(catchThrowable(() -> get(provider.increaseSize("fleet/bad-max", 1))))
                .isInstanceOfSatisfying(ScaleRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ScaleRefusedException.INVALID_ANNOTATION);
                    assertThat(e).hasMessageContaining(CapiKinds.MAX_SIZE).hasMessageContaining("\"five\"");
                });
    }

    @Test
    void increaseSizeWritesReplicasThroughTheScaleSubresource() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 1, sizes(0, 5), null));
        String readVersion = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace(NS)
                .withName("arm").get().getMetadata().getResourceVersion();
        drainRequests();

        get(provider.increaseSize("fleet/arm", 2));

        assertThat(replicas("arm")).isEqualTo(3);
        List<RecordedRequest> writes = drainRequests().stream().filter(r -> !r.getMethod().equals("GET")).toList();
        assertThat(writes).hasSize(1);
        RecordedRequest put = writes.get(0);
        assertThat(put.getMethod()).isEqualTo("PUT");
        assertThat(put.getPath()).isEqualTo(SCALE_PATH.formatted("arm"));
        Scale body = json.unmarshal(put.getUtf8Body(), Scale.class);
        assertThat(body.getApiVersion()).isEqualTo("autoscaling/v1");
        assertThat(body.getKind()).isEqualTo("Scale");
        assertThat(body.getMetadata().getName()).isEqualTo("arm");
        assertThat(body.getMetadata().getResourceVersion()).isEqualTo(readVersion);
        assertThat(body.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void increaseSizeRefusesToGoAboveMaxSize() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 4, sizes(0, 5), null));
        drainRequests();

        Throwable failure = catchThrowable(() -> get(provider.increaseSize("fleet/arm", 2)));

        assertThat(failure).isInstanceOfSatisfying(ScaleRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(ScaleRefusedException.ABOVE_MAX_SIZE);
            assertThat(e.retryable()).isFalse();
            assertThat(e).hasMessageContaining("max size 5");
        });
        assertThat(replicas("arm")).isEqualTo(4);
        assertThat(drainRequests()).extracting(RecordedRequest::getMethod).containsOnly("GET");
    }

    @Test
    void increaseSizeOfUnknownGroupIsNodeGroupNotFound() {
        assertThat(catchThrowable(() -> get(provider.increaseSize("fleet/nope", 1))))
                .isInstanceOf(NodeGroupNotFoundException.class);
        assertThat(catchThrowable(() -> get(provider.increaseSize("not-a-key", 1))))
                .isInstanceOf(NodeGroupNotFoundException.class);
        assertThat(catchThrowable(() -> get(provider.increaseSize("fleet/nope", 0))))
                .isInstanceOfSatisfying(ScaleRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScaleRefusedException.INVALID_DELTA));
    }

    @Test
    void staleResourceVersionOnScaleIsARetryableConflict() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 1, sizes(0, 5), null));
        GenericKubernetesResource md = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS)
                .inNamespace(NS).withName("arm").get();
        ScalableResource stale = ScalableResource.from(md, "fleet/arm").orElseThrow();
        // someone else writes between our read and our write
        client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace(NS).withName("arm")
                .edit(r -> {
                    r.getMetadata().setLabels(Map.of("touched", "yes"));
                    return r;
                });

        Throwable failure = catchThrowable(() -> client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS)
                .inNamespace(NS).withName("arm").scale(new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder()
                        .withNewMetadata().withName("arm").withResourceVersion(stale.resourceVersion()).endMetadata()
                        .withNewSpec().withReplicas(2).endSpec().build()));

        assertThat(ClusterApiErrors.map(failure, "clusterapi", "increaseSize", "fleet/arm"))
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("409");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(replicas("arm")).isEqualTo(1);
    }

    @Test
    void deleteNodesAnnotatesTheMachineThenScalesDownByOne() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 3, sizes(1, 5), null));
        for (int i = 1; i <= 3; i++) {
            create(CapiKinds.MACHINES, machine(NS, "arm-m" + i, "arm", "node-" + i, "metal3://fleet/bmh-" + i, "Running"));
        }
        drainRequests();

        get(provider.deleteNodes("fleet/arm", List.of(new NodeRef("node-2", "metal3://fleet/bmh-2"))));

        assertThat(replicas("arm")).isEqualTo(2);
        assertThat(deleteAnnotation("arm-m2")).isEqualTo(NOW.toString());
        assertThat(deleteAnnotation("arm-m1")).isNull();
        assertThat(deleteAnnotation("arm-m3")).isNull();
        List<RecordedRequest> writes = drainRequests().stream().filter(r -> !r.getMethod().equals("GET")).toList();
        assertThat(writes).extracting(RecordedRequest::getMethod, RecordedRequest::getPath).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PATCH",
                        "/apis/cluster.x-k8s.io/v1beta1/namespaces/fleet/machines/arm-m2"),
                org.assertj.core.groups.Tuple.tuple("PUT", SCALE_PATH.formatted("arm")));
        assertThat(json.unmarshal(writes.get(1).getUtf8Body(), Scale.class).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void deleteNodesFindsMachinesByProviderIdAndLowersReplicasOncePerMachine() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 4, sizes(0, 5), null));
        create(CapiKinds.MACHINES, machine(NS, "arm-a", "arm", null, "metal3://fleet/bmh-a", "Provisioned"));
        create(CapiKinds.MACHINES, machine(NS, "arm-b", "arm", "node-b", "metal3://fleet/bmh-b", "Running"));
        create(CapiKinds.MACHINES, machine(NS, "arm-c", "arm", "node-c", "metal3://fleet/bmh-c", "Running"));

        get(provider.deleteNodes("fleet/arm", List.of(new NodeRef("unregistered", "metal3://fleet/bmh-a"),
                new NodeRef("node-c", null), new NodeRef("node-c", "metal3://fleet/bmh-c"))));

        assertThat(replicas("arm")).isEqualTo(2);
        assertThat(deleteAnnotation("arm-a")).isNotNull();
        assertThat(deleteAnnotation("arm-b")).isNull();
        assertThat(deleteAnnotation("arm-c")).isNotNull();
    }

    @Test
    void deleteNodesRefusesToGoBelowMinSizeAndTouchesNothing() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 2, sizes(2, 5), null));
        create(CapiKinds.MACHINES, machine(NS, "arm-m1", "arm", "node-1", "metal3://fleet/bmh-1", "Running"));

        Throwable failure = catchThrowable(() -> get(provider.deleteNodes("fleet/arm",
                List.of(new NodeRef("node-1", null)))));

        assertThat(failure).isInstanceOfSatisfying(ScaleRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(ScaleRefusedException.BELOW_MIN_SIZE));
        assertThat(replicas("arm")).isEqualTo(2);
        assertThat(deleteAnnotation("arm-m1")).isNull();
    }

    @Test
    void deleteNodesRefusesANodeWhoseMachineBelongsToAnotherGroup() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 2, sizes(0, 5), null));
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "x86", 2, sizes(0, 5), null));
        create(CapiKinds.MACHINES, machine(NS, "x86-m1", "x86", "node-x", "metal3://fleet/bmh-x", "Running"));

        Throwable failure = catchThrowable(() -> get(provider.deleteNodes("fleet/arm",
                List.of(new NodeRef("node-x", "metal3://fleet/bmh-x")))));

        assertThat(failure).isInstanceOfSatisfying(ScaleRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(ScaleRefusedException.NODE_NOT_IN_GROUP);
            assertThat(e).hasMessageContaining("node-x");
        });
        assertThat(replicas("arm")).isEqualTo(2);
        assertThat(replicas("x86")).isEqualTo(2);
        assertThat(deleteAnnotation("x86-m1")).isNull();
    }

    @Test
    void instancesAreTheMachinesOfTheDeploymentWithProviderIdAndPhase() throws Throwable {
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 3, sizes(0, 5), null));
        create(CapiKinds.MACHINES, machine(NS, "arm-m1", "arm", "node-1", "metal3://fleet/bmh-1", "Running"));
        create(CapiKinds.MACHINES, machine(NS, "arm-m2", "arm", null, null, "Provisioning"));
        create(CapiKinds.MACHINES, machine(NS, "x86-m1", "x86", "node-x", "metal3://fleet/bmh-x", "Running"));

        List<Instance> instances = get(provider.instances("fleet/arm"));

        assertThat(instances).containsExactly(
                new Instance("arm-m1", "metal3://fleet/bmh-1", InstanceState.RUNNING),
                new Instance("arm-m2", "", InstanceState.CREATING),
                new Instance("placeholder-arm-2", "", InstanceState.CREATING));
    }

    private void create(ResourceDefinitionContext kind, GenericKubernetesResource obj) {
        client.genericKubernetesResources(kind).inNamespace(obj.getMetadata().getNamespace()).resource(obj).create();
    }

    private int replicas(String deployment) {
        Object r = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace(NS)
                .withName(deployment).get().get("spec", "replicas");
        return ((Number) r).intValue();
    }

    private String deleteAnnotation(String machine) {
        Map<String, String> a = client.genericKubernetesResources(CapiKinds.MACHINES).inNamespace(NS)
                .withName(machine).get().getMetadata().getAnnotations();
        return a == null ? null : a.get(CapiKinds.DELETE_MACHINE);
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    /** The stage's value, or its failure unwrapped from the ExecutionException. */
    private static <T> T get(CompletionStage<T> stage) throws Throwable {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
