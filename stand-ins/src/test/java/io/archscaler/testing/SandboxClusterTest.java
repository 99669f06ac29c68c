package io.archscaler.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's API server serves evictions (budgets are covered by NodeDrainerMockTest). */
class SandboxClusterTest {
    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName(name).addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("x")
                .endContainer().endSpec().build();
    }

    @Test
    void anEvictionDeletesThePodWhenNoBudgetForbidsIt() {
        try (SandboxCluster cluster = new SandboxCluster()) {
            KubernetesClient client = cluster.client();
            client.pods().inNamespace("shop").resource(pod("web-1")).create();
            assertThat(client.pods().inNamespace("shop").withName("web-1").evict()).isTrue();
            assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNull();
        }
    }
}
