package io.archscaler.cloud.clusterapi;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashMap;

import static io.archscaler.cloud.clusterapi.CapiObjects.machineDeployment;
import static io.archscaler.cloud.clusterapi.CapiObjects.sizes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records why the provider's tests serve {@code /scale} with {@link ScaleSubresourceDispatcher}:
 * fabric8 8.0.0's CRUD dispatcher does not implement the scale subresource of custom resources.
 * If a fabric8 upgrade makes this test fail, the plain CRUD dispatcher may serve /scale now.
 */
class CrudDispatcherScaleMockTest {
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        client = server.createClient();
        client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace("fleet")
                .resource(machineDeployment("fleet", "arm", 1, sizes(0, 5), null)).create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void plainCrudDispatcherAnswersScaleGetWithTheWholeObject() {
        Scale scale = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace("fleet")
                .withName("arm").scale();

        assertThat(scale.getKind()).isEqualTo("MachineDeployment");
        assertThat(scale.getApiVersion()).isEqualTo("cluster.x-k8s.io/v1beta1");
    }

    @Test
    void plainCrudDispatcherReplacesTheObjectWithTheScaleBodyOnPut() {
        client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace("fleet").withName("arm")
                .scale(new ScaleBuilder().withNewMetadata().withName("arm").endMetadata()
                        .withNewSpec().withReplicas(3).endSpec().build());

        assertThat(client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS).inNamespace("fleet")
                .withName("arm").get()).isNull();
    }
}
