package io.archscaler.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.Map;

/**
 * Pods as a ReplicaSet creates them, for the pipeline and soak benchmarks: four workloads, one
 * of them locked to amd64 by nodeSelector, the others free to run on arm64.
 */
final class BenchPods {
    private static final String[] WORKLOADS = {"web", "api", "worker", "legacy"};
    private static final String[] CPU = {"250m", "500m", "1", "500m"};
    private static final String[] MEMORY = {"512Mi", "1Gi", "2Gi", "1Gi"};

    private BenchPods() {
    }

    /** The {@code index}-th pod of a run: its workload cycles, so one pod in four is amd64-only. */
    static Pod pod(String namespace, String prefix, int index, Instant created) {
        int w = index % WORKLOADS.length;
        String workload = WORKLOADS[w];
        Map<String, String> selector = workload.equals("legacy") ? Map.of("kubernetes.io/arch", "amd64") : null;
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(prefix + "-" + workload + "-" + index)
                .withUid("uid-" + prefix + "-" + index)
                .withCreationTimestamp(created.toString())
                .addToLabels("app", workload)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(prefix + "-" + workload)
                .withUid("rs-" + prefix + "-" + workload).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeSelector(selector)
                .addNewContainer().withName("main").withImage("ghcr.io/acme/" + workload + ":1.0").withNewResources()
                .addToRequests("cpu", new Quantity(CPU[w])).addToRequests("memory", new Quantity(MEMORY[w]))
                .endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withLastTransitionTime(created.toString()).endCondition()
                .endStatus().build();
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
