package io.archscaler.e2e;

import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.clusterapi.ClusterApiConfig;
import io.archscaler.cloud.clusterapi.ClusterApiNodeGroupProvider;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.events.Decision;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.archscaler.e2e.MachineDeploymentStandIn.DELETE_MACHINE;
import static io.archscaler.e2e.MachineDeploymentStandIn.MACHINE_DEPLOYMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clusterapi provider against a real API server serving a MachineDeployment CRD with the scale
 * subresource, and the MachineSet and Machine CRDs the provider also lists (src/test/resources/e2e/capi,
 * minimal ones written after Cluster API's v1beta1 CRDs; without the MachineSet CRD discovery fails
 * with a 404, as it would on any cluster that lacks it). The provider sizes the
 * group only through {@code /scale}, as the audit log shows, and removes a chosen node by annotating
 * its Machine with {@code cluster.x-k8s.io/delete-machine} and lowering the replicas. No Cluster API
 * controller runs here: {@link MachineDeploymentStandIn} plays its part (Machines and Nodes to match
 * the replicas, the status /scale reads).
 */
@ExtendWith(SharedControlPlane.class)
class ClusterApiScaleE2E {
    private static final String NAMESPACE = "capi-e2e";
    private static final String DEPLOYMENT = "workers";
    private static final String GROUP = "capi-workers";
    /** Keeps other tests' pods off these Nodes and this test's pods off theirs. */
    private static final String TAINT = "archscaler.io/e2e-capi";
    private static final List<String> CRDS = List.of("cluster.x-k8s.io_machinedeployments.yaml",
            "cluster.x-k8s.io_machinesets.yaml", "cluster.x-k8s.io_machines.yaml");
    private static final MachineDeploymentStandIn.NodeShape NODE = new MachineDeploymentStandIn.NodeShape("arm64",
            Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("20")), TAINT);
    private static final String CONFIG = """
            cluster: e2e-capi
            nodeGroups:
              - name: %s
                provider: clusterapi
                arch: arm64
                minSize: 1
                maxSize: 5
                capacity: {cpu: "2", memory: 4Gi, pods: 20}
                taints: [{key: %s, value: e2e, effect: NoSchedule}]
                clusterapi: {namespace: %s, name: %s}
            scaleUp: {batchIdle: 500ms, batchMax: 3s}
            scaleDown: {enabled: false}
            leaderElection: {enabled: false, namespace: %s}
            images: {resolve: false}
            """.formatted(GROUP, TAINT, NAMESPACE, DEPLOYMENT, NAMESPACE);

    private static KubernetesClient client;
    private static Path auditLog;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private MachineDeploymentStandIn capi;
    private ClusterApiNodeGroupProvider provider;

    @BeforeAll
    static void installCrds(ControlPlane controlPlane) {
        client = controlPlane.newClient();
        auditLog = controlPlane.auditLog();
        for (String file : CRDS) {
            try (InputStream in = ClusterApiScaleE2E.class.getResourceAsStream("/e2e/capi/" + file)) {
                assertThat(in).as("test resource e2e/capi/" + file).isNotNull();
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                client.resource(crd).serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream().anyMatch(s -> "Established".equals(s.getType())
                                && "True".equals(s.getStatus())), 60, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
    }

    @AfterAll
    static void removeNamespace() {
        try {
            client.namespaces().withName(NAMESPACE).delete();
        } finally {
            client.close();
        }
    }

    /** A MachineDeployment of one replica, annotated as a node group of 1 to 5 arm64 nodes, and its Machine. */
    @BeforeEach
    void createMachineDeployment() {
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("MachineDeployment")
                .withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE)
                .addToAnnotations("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size", "1")
                .addToAnnotations("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size", "5")
                .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/cpu", "2")
                .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/memory", "4Gi")
                .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/maxPods", "20")
                .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/labels", "kubernetes.io/arch=arm64")
                .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/taints", TAINT + "=e2e:NoSchedule")
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("clusterName", MachineDeploymentStandIn.CLUSTER, "replicas", 1,
                        "selector", Map.of("matchLabels", Map.of(MachineDeploymentStandIn.DEPLOYMENT_LABEL, DEPLOYMENT)),
                        "template", Map.of("metadata", Map.of("labels", Map.of(MachineDeploymentStandIn.DEPLOYMENT_LABEL,
                                DEPLOYMENT)), "spec", Map.of("clusterName", MachineDeploymentStandIn.CLUSTER))))
                .build()).create();
        capi = new MachineDeploymentStandIn(client, NAMESPACE, DEPLOYMENT, NODE);
        capi.reconcile();
        provider = new ClusterApiNodeGroupProvider(client, ClusterApiConfig.inNamespace(NAMESPACE)
                .withGroupNames(Map.of(NAMESPACE + "/" + DEPLOYMENT, GROUP)), executor, Clock.systemUTC());
    }

    @AfterEach
    void deleteMachineDeployment() {
        capi.close();
        executor.shutdownNow();
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE).withName(DEPLOYMENT).delete();
        for (GenericKubernetesResource m : capi.machines()) {
            client.genericKubernetesResources(MachineDeploymentStandIn.MACHINES).inNamespace(NAMESPACE)
                    .withName(m.getMetadata().getName()).delete();
            client.nodes().withName(m.getMetadata().getName()).delete();
        }
        client.pods().inNamespace(NAMESPACE).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources(MACHINE_DEPLOYMENTS)
                .inNamespace(NAMESPACE).withName(DEPLOYMENT).get() == null && capi.machines().isEmpty());
    }

    @Test
    void increaseSizeRaisesTheReplicasThroughTheScaleSubresourceAndNothingElse() throws Exception {
        NodeGroup before = onlyGroup();
        long auditFrom = Files.size(auditLog);

        provider.increaseSize(GROUP, 2).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(replicas()).isEqualTo(3);
        List<JsonObject> writes = await().atMost(Duration.ofSeconds(10)).until(() -> deploymentWrites(auditFrom),
                w -> !w.isEmpty());
        assertThat(writes).as("writes to the MachineDeployment").hasSize(1).allSatisfy(w -> {
            assertThat(w.getString("verb")).isEqualTo("update");
            assertThat(w.getJsonObject("objectRef").getString("subresource")).isEqualTo("scale");
            assertThat(w.getJsonObject("responseStatus").getInteger("code")).isEqualTo(200);
        });
        // the stand-in makes the Machines and reports them: /scale and the provider read the new size back
        capi.reconcile();
        Scale scale = client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE).withName(DEPLOYMENT).scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
        assertThat(scale.getStatus().getReplicas()).isEqualTo(3);
        assertThat(scale.getStatus().getSelector()).isEqualTo(MachineDeploymentStandIn.DEPLOYMENT_LABEL + "=" + DEPLOYMENT);
        assertThat(capi.machines()).hasSize(3);
        NodeGroup after = onlyGroup();
        assertThat(before.targetSize()).isEqualTo(1);
        assertThat(after.targetSize()).isEqualTo(3);
        assertThat(after.arch()).isEqualTo(Arch.ARM64);
        assertThat(after.template().allocatable().cpuMillis()).isEqualTo(2000);
        assertThat(provider.instances(GROUP).toCompletableFuture().get(30, TimeUnit.SECONDS)).hasSize(3);
    }

    @Test
    void deleteNodesAnnotatesTheChosenMachineAndLowersTheReplicasSoThatMachineIsTheOneRemoved() throws Exception {
        provider.increaseSize(GROUP, 2).toCompletableFuture().get(30, TimeUnit.SECONDS);
        capi.reconcile();
        List<GenericKubernetesResource> machines = capi.machines();
        assertThat(machines).hasSize(3);
        // the oldest: left to itself the stand-in, as Cluster API's default order, would remove the newest
        String chosen = machines.get(0).getMetadata().getName();
        long auditFrom = Files.size(auditLog);

        provider.deleteNodes(GROUP, List.of(new NodeRef(chosen, MachineDeploymentStandIn.providerId(NAMESPACE, chosen))))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(replicas()).isEqualTo(2);
        GenericKubernetesResource marked = client.genericKubernetesResources(MachineDeploymentStandIn.MACHINES)
                .inNamespace(NAMESPACE).withName(chosen).get();
        assertThat(marked.getMetadata().getAnnotations()).containsKey(DELETE_MACHINE);
        List<JsonObject> writes = await().atMost(Duration.ofSeconds(10)).until(() -> deploymentWrites(auditFrom),
                w -> !w.isEmpty());
        assertThat(writes).hasSize(1).allSatisfy(w ->
                assertThat(w.getJsonObject("objectRef").getString("subresource")).isEqualTo("scale"));
        capi.reconcile();
        assertThat(capi.machines()).extracting(m -> m.getMetadata().getName())
                .containsExactlyElementsOf(machines.subList(1, 3).stream().map(m -> m.getMetadata().getName()).toList());
        assertThat(client.nodes().withName(chosen).get()).isNull();
    }

    @Test
    void archscalerScalesTheMachineDeploymentUpForPendingPodsAndTheyRunOnItsNodes(ControlPlane controlPlane)
            throws Exception {
        capi.running(300);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.nodes().withName(capi.machines().get(0).getMetadata()
                .getName()).get() != null && E2eNodes.schedulable(client.nodes().withName(capi.machines().get(0)
                .getMetadata().getName()).get()));
        long started = System.nanoTime();
        try (ObservedArchscaler archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG, "archscaler-capi-e2e")) {
            // four pods of 1.5 cpu on 2-cpu nodes: one fits the node there is, three need a node each
            for (int i = 0; i < 4; i++) {
                client.pods().inNamespace(NAMESPACE).resource(pod("web-" + i)).create();
            }

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(client.pods().inNamespace(NAMESPACE)
                    .list().getItems()).hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running")));

            List<Decision> scaleUps = archscaler.decisions().stream().filter(d -> Decision.SCALE_UP.equals(d.action())).toList();
            System.out.printf("ClusterApiScaleE2E: 4 pods Running %d ms after they were created; scale-ups: %s%n",
                    (System.nanoTime() - started) / 1_000_000, scaleUps.stream().map(Decision::describe).toList());
            assertThat(scaleUps).hasSize(1).first().satisfies(d -> {
                assertThat(d.nodeGroup()).isEqualTo(GROUP);
                assertThat(d.from()).isEqualTo(1);
                assertThat(d.to()).isEqualTo(4);
                assertThat(d.outcome()).isEqualTo(Decision.REQUESTED);
            });
            assertThat(replicas()).isEqualTo(4);
            assertThat(capi.machines()).hasSize(4);
        }
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/web:1").withNewResources()
                .addToRequests("cpu", new Quantity("1500m")).endResources().endContainer()
                .addNewToleration().withKey(TAINT).withOperator("Exists").withEffect("NoSchedule").endToleration()
                .endSpec().build();
    }

    private NodeGroup onlyGroup() throws Exception {
        List<NodeGroup> groups = provider.nodeGroups().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(groups).extracting(NodeGroup::name).containsExactly(GROUP);
        return groups.get(0);
    }

    private static int replicas() {
        return ((Number) client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE).withName(DEPLOYMENT)
                .get().get("spec", "replicas")).intValue();
    }

    /**
     * Requests that changed the MachineDeployment (the object or its scale, not its status, which the
     * stand-in writes) since byte {@code from} of the audit log.
     */
    private static List<JsonObject> deploymentWrites(long from) throws IOException {
        byte[] all = Files.readAllBytes(auditLog);
        String tail = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8);
        return tail.lines().filter(l -> l.startsWith("{")).map(JsonObject::new)
                .filter(e -> "ResponseComplete".equals(e.getString("stage")))
                .filter(e -> List.of("create", "update", "patch", "delete").contains(e.getString("verb")))
                .filter(e -> {
                    JsonObject ref = e.getJsonObject("objectRef");
                    return ref != null && "machinedeployments".equals(ref.getString("resource"))
                            && DEPLOYMENT.equals(ref.getString("name")) && !"status".equals(ref.getString("subresource"));
                }).toList();
    }
}
