package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pods of the demo's scripted workload, built as a ReplicaSet would create them. */
final class DemoWorkload {
    static final String NAMESPACE = "shop";

    private DemoWorkload() {
    }

    /** {@code count} replicas of a workload; {@code nodeSelector} may be empty. */
    static List<Pod> replicas(String workload, int count, String image, String cpu, String memory,
                              Map<String, String> nodeSelector, Instant now) {
        List<Pod> pods = new ArrayList<>(count);
        String replicaSet = workload + "-5d8f7c";
        for (int i = 0; i < count; i++) {
            pods.add(new PodBuilder()
                    .withNewMetadata().withNamespace(NAMESPACE).withName(replicaSet + "-" + suffix(i))
                    .withCreationTimestamp(now.toString())
                    .addToLabels("app", workload)
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(replicaSet)
                    .withUid("uid-" + replicaSet).withController(true).endOwnerReference()
                    .endMetadata()
                    .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                    .addNewContainer().withName(workload).withImage(image)
                    .withNewResources()
                    .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                    .endResources().endContainer()
                    .endSpec()
                    .withNewStatus().withPhase("Pending").endStatus()
                    .build());
        }
        return pods;
    }

    private static String suffix(int i) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        int a = (i * 7 + 3) % alphabet.length();
        int b = (i * 13 + 5) % alphabet.length();
        int c = i / alphabet.length() % alphabet.length();
        return "" + alphabet.charAt(a) + alphabet.charAt(b) + alphabet.charAt(c) + i;
    }
}
