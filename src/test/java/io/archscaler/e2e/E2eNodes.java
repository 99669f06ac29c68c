package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Nodes an end-to-end test registers itself (kwok keeps them Ready). */
final class E2eNodes {
    private E2eNodes() {
    }

    /**
     * Registers a 4-cpu node of {@code arch} tainted {@code taintKey=e2e:NoSchedule}, so only pods that
     * tolerate it land there, and waits until it is schedulable: kwok reports it Ready and the node
     * lifecycle controller lifts the not-ready taint the API server puts on every new node.
     */
    static Node create(KubernetesClient client, String name, String arch, String taintKey) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/arch", arch)
                .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().addNewTaint().withKey(taintKey).withValue("e2e").withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().withCapacity(allocatable).withAllocatable(allocatable)
                .withNewNodeInfo().withArchitecture(arch).withOperatingSystem("linux").endNodeInfo().endStatus()
                .build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> schedulable(client.nodes().withName(name).get()));
        return client.nodes().withName(name).get();
    }

    static void delete(KubernetesClient client, String... names) {
        for (String name : names) {
            client.nodes().withName(name).delete();
        }
    }

    static boolean schedulable(Node node) {
        boolean ready = node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean notReadyTaint = node.getSpec().getTaints().stream()
                .anyMatch(t -> t.getKey().startsWith("node.kubernetes.io/"));
        return ready && !notReadyTaint;
    }
}
