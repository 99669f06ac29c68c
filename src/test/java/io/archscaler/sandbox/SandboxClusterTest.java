package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's API server serves evictions the way a real one does. */
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

    @Test
    void aDisruptionBudgetThatAllowsNoneAnswers429AndKeepsThePod() {
        try (SandboxCluster cluster = new SandboxCluster()) {
            KubernetesClient client = cluster.client();
            client.pods().inNamespace("shop").resource(pod("web-1")).create();
            client.policy().v1().podDisruptionBudget().inNamespace("shop").resource(new PodDisruptionBudgetBuilder()
                    .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                    .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "web")
                    .endSelector().endSpec().build()).create();
            // fabric8 reports a 429 as "not evicted"
            assertThat(client.pods().inNamespace("shop").withName("web-1").evict()).isFalse();
            assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNotNull();
            client.pods().inNamespace("shop").resource(pod("web-2")).create();
            assertThat(client.pods().inNamespace("shop").withName("web-1").evict()).isTrue();
        }
    }
}
