package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.archscaler.cloud.clusterapi.CapiObjects.machine;
import static io.archscaler.cloud.clusterapi.CapiObjects.machineDeployment;
import static io.archscaler.cloud.clusterapi.CapiObjects.sizes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Machines of a MachineDeployment that will not come: one Cluster API marked failed, one that has
 * had no provider ID for longer than the group's provisionTimeout (bare metal with no free host).
 * {@code instances()} reports them with their error and {@code decreaseTargetSize} annotates them
 * for deletion and lowers the replicas, never below the Machines that run.
 */
class ClusterApiLateFailureMockTest {
    private static final String NS = "fleet";
    private static final String API = "/apis/cluster.x-k8s.io/v1beta1/namespaces/fleet";
    private static final String SCALE_PATH = API + "/machinedeployments/arm/scale";
    private static final String MACHINES = API + "/machines";

    private final KubernetesSerialization json = new KubernetesSerialization();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ExecutorService executor;
    private Instant created;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ScaleSubresourceDispatcher(), false);
        server.init();
        client = server.createClient();
        executor = Executors.newFixedThreadPool(2);
        create(CapiKinds.MACHINE_DEPLOYMENTS, machineDeployment(NS, "arm", 3, sizes(0, 8), null));
        create(CapiKinds.MACHINES, machine(NS, "arm-a", "arm", "node-a", "metal3://fleet/bmh-a", "Running"));
        GenericKubernetesResource failed = machine(NS, "arm-b", "arm", null, null, "Failed");
        status(failed).put("failureReason", "InsufficientResources");
        status(failed).put("failureMessage", "no BareMetalHost matches the host selector arch=arm64");
        create(CapiKinds.MACHINES, failed);
        create(CapiKinds.MACHINES, machine(NS, "arm-c", "arm", null, null, "Provisioning"));
        // the API server stamps creationTimestamp; the provider's clock is set from it
        created = Instant.parse(client.genericKubernetesResources(CapiKinds.MACHINES).inNamespace(NS).withName("arm-c")
                .get().getMetadata().getCreationTimestamp());
    }

    /** A provider whose clock reads {@code age} after the Machines were created; provisionTimeout 10m. */
    private ClusterApiNodeGroupProvider providerAt(Duration age) {
        ClusterApiConfig config = ClusterApiConfig.inNamespace(NS).withProvisionTimeouts(
                Map.of("fleet/arm", Duration.ofMinutes(10)));
        return new ClusterApiNodeGroupProvider(client, config, executor,
                Clock.fixed(created.plus(age), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void failedMachinesAndMachinesWithoutProviderIdPastTheTimeoutCarryTheirError() throws Exception {
        Instance armA = new Instance("arm-a", "metal3://fleet/bmh-a", InstanceState.RUNNING);
        Instance armB = new Instance("arm-b", "", InstanceState.CREATING, new InstanceError(
                InstanceError.Kind.CAPACITY, "InsufficientResources",
                "no BareMetalHost matches the host selector arch=arm64"));

        assertThat(providerAt(Duration.ofMinutes(2)).instances("fleet/arm").toCompletableFuture()
                .get(20, TimeUnit.SECONDS)).containsExactly(armA, armB,
                new Instance("arm-c", "", InstanceState.CREATING));
        assertThat(providerAt(Duration.ofMinutes(11)).instances("fleet/arm").toCompletableFuture()
                .get(20, TimeUnit.SECONDS)).containsExactly(armA, armB,
                new Instance("arm-c", "", InstanceState.CREATING, new InstanceError(InstanceError.Kind.TIMEOUT,
                        "ProvisionTimeout", "Machine arm-c has no spec.providerID 660s after it was created"
                        + " (provisionTimeout PT10M)")));
    }

    @Test
    void decreaseTargetSizeDeletesTheMachinesThatWillNotComeAndLowersTheReplicas() throws Exception {
        drainRequests();

        providerAt(Duration.ofMinutes(11)).decreaseTargetSize("fleet/arm", 1).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);

        List<RecordedRequest> writes = drainRequests().stream().filter(r -> !r.getMethod().equals("GET")).toList();
        assertThat(writes).extracting(RecordedRequest::getMethod, RecordedRequest::getPath).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PATCH", MACHINES + "/arm-b"),
                org.assertj.core.groups.Tuple.tuple("PUT", SCALE_PATH));
        assertThat(json.unmarshal(writes.get(1).getUtf8Body(), Scale.class).getSpec().getReplicas()).isEqualTo(2);
        assertThat(deleteAnnotation("arm-b")).as("the failed Machine goes first").isEqualTo(
                created.plus(Duration.ofMinutes(11)).toString());
        assertThat(deleteAnnotation("arm-c")).isNull();
        assertThat(deleteAnnotation("arm-a")).isNull();
    }

    @Test
    void decreaseTargetSizeNeverGoesBelowTheMachinesThatRun() throws Exception {
        providerAt(Duration.ofMinutes(11)).decreaseTargetSize("fleet/arm", 9).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);

        Object replicas = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace(NS)
                .withName("arm").get().get("spec", "replicas");
        assertThat(((Number) replicas).intValue()).isEqualTo(1);
        assertThat(deleteAnnotation("arm-b")).isNotNull();
        assertThat(deleteAnnotation("arm-c")).isNotNull();
        assertThat(deleteAnnotation("arm-a")).isNull();
    }

    private String deleteAnnotation(String machine) {
        Map<String, String> a = client.genericKubernetesResources(CapiKinds.MACHINES).inNamespace(NS)
                .withName(machine).get().getMetadata().getAnnotations();
        return a == null ? null : a.get(CapiKinds.DELETE_MACHINE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource m) {
        return (Map<String, Object>) m.getAdditionalProperties().get("status");
    }

    private void create(ResourceDefinitionContext kind, GenericKubernetesResource obj) {
        client.genericKubernetesResources(kind).inNamespace(obj.getMetadata().getNamespace()).resource(obj).create();
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }
}
