package io.archscaler.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * The baseline of {@code bench --e2e --e2e-baseline}: Nodes of the burst's shape registered before
 * it, with no Archscaler, so the time to bind every pod is kube-scheduler's (and the API server's)
 * alone. Enough nodes of each arch for {@link E2eRun#pod}'s mix, with a tenth to spare.
 */
final class E2eBaselineNodes {
    private E2eBaselineNodes() {
    }

    /** Registers the nodes (Ready, as the simulated provider's register) and returns how many. */
    static int register(KubernetesClient admin, int pods) {
        // every four pods: web 0.5 + api 1 + worker 1 cpu flexible, legacy 1 cpu amd64-only; nodes have 16 cpu
        int arm = (int) Math.ceil(pods / 4.0 * 2.5 / 16 * 1.1) + 1;
        int amd = (int) Math.ceil(pods / 4.0 / 16 * 1.1) + 1;
        IntStream.range(0, arm + amd).parallel().forEach(i ->
                admin.nodes().resource(node(i < arm ? "arm64" : "amd64", "baseline-" + i)).create());
        return arm + amd;
    }

    private static Node node(String arch, String name) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"),
                "pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/arch", arch).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus().withCapacity(allocatable).withAllocatable(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .withNewNodeInfo().withArchitecture(arch).withOperatingSystem("linux").withKubeletVersion("v1.31.0").endNodeInfo()
                .endStatus().build();
    }
}
