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

    /**
     * A workload of the script: its replicas, image and requests, a node selector (may be empty) and
     * labels of its own on its pods (e.g. the bursts' mark).
     */
    record Spec(String name, int replicas, String image, String cpu, String memory, Map<String, String> nodeSelector,
                Map<String, String> labels) {
        Spec {
            nodeSelector = Map.copyOf(nodeSelector);
            labels = Map.copyOf(labels);
        }

        Spec(String name, int replicas, String image, String cpu, String memory) {
            this(name, replicas, image, cpu, memory, Map.of(), Map.of());
        }

        Spec withNodeSelector(Map<String, String> selector) {
            return new Spec(name, replicas, image, cpu, memory, selector, labels);
        }

        Spec withLabel(String key, String value) {
            Map<String, String> more = new java.util.HashMap<>(labels);
            more.put(key, value);
            return new Spec(name, replicas, image, cpu, memory, nodeSelector, more);
        }
    }

    /**
     * The Deployment a real cluster's controllers make the workload's pods from: its labels on the
     * Deployment and its pods, which the Deployment selects by {@code app}.
     */
    static io.fabric8.kubernetes.api.model.apps.Deployment deployment(Spec w) {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(w.name()).addToLabels("app", w.name())
                .addToLabels(w.labels()).endMetadata()
                .withNewSpec().withReplicas(w.replicas()).withNewSelector().addToMatchLabels("app", w.name()).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", w.name()).addToLabels(w.labels()).endMetadata()
                .withNewSpec().withNodeSelector(w.nodeSelector().isEmpty() ? null : w.nodeSelector())
                .addNewContainer().withName(w.name()).withImage(w.image())
                .withNewResources().addToRequests("cpu", new Quantity(w.cpu())).addToRequests("memory", new Quantity(w.memory()))
                .endResources().endContainer().endSpec().endTemplate()
                .endSpec().build();
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

    /** A Deployment and its current ReplicaSet, whose pods {@link #replicaSetPods} builds. */
    static List<io.fabric8.kubernetes.api.model.HasMetadata> deployment(String workload, int replicas, String image,
                                                                        String cpu, String memory) {
        var template = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", workload).endMetadata()
                .withNewSpec().addNewContainer().withName(workload).withImage(image)
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .endResources().endContainer().endSpec().build();
        var deployment = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(workload).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", workload).endSelector()
                .withTemplate(template).endSpec().build();
        var replicaSet = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(workload + "-" + TEMPLATE_HASH)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(workload)
                .withUid("uid-" + workload).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", workload).endSelector()
                .withTemplate(template).endSpec().build();
        return List.of(deployment, replicaSet);
    }

    /** Pods {@code from}..{@code from + count - 1} of the Deployment's ReplicaSet. */
    static List<Pod> replicaSetPods(String workload, int from, int count, String image, String cpu, String memory,
                                    Instant now) {
        List<Pod> pods = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            pods.add(new PodBuilder()
                    .withNewMetadata().withNamespace(NAMESPACE).withName(workload + "-" + TEMPLATE_HASH + "-" + suffix(i))
                    .withCreationTimestamp(now.toString())
                    .addToLabels("app", workload).addToLabels("pod-template-hash", TEMPLATE_HASH)
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName(workload + "-" + TEMPLATE_HASH).withUid("uid-rs-" + workload).withController(true)
                    .endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName(workload).withImage(image).withNewResources()
                    .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build());
        }
        return pods;
    }

    /** An autoscaling/v2 HPA scaling the Deployment on a per-pod custom metric. */
    static io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa(String workload, String metric,
                                                                                      String averageValue, int replicas,
                                                                                      int maxReplicas) {
        return new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(workload).endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(workload).endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(maxReplicas)
                .addNewMetric().withType("Pods").withNewPods().withNewMetric().withName(metric).endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(averageValue)).endTarget()
                .endPods().endMetric().endSpec()
                .withNewStatus().withCurrentReplicas(replicas).withDesiredReplicas(replicas).endStatus()
                .build();
    }

    /** A policy/v1 PodDisruptionBudget keeping at least {@code minAvailable} of the workload's pods running. */
    static io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget disruptionBudget(String workload,
                                                                                         int minAvailable) {
        return new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(workload).endMetadata()
                .withNewSpec().withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(minAvailable))
                .withNewSelector().addToMatchLabels("app", workload).endSelector().endSpec()
                .build();
    }

    private static final String TEMPLATE_HASH = "6c4f9d8b7";
}
