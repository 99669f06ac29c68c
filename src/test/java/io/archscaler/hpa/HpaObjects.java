package io.archscaler.hpa;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

import java.time.Instant;
import java.util.Map;

/** Kubernetes objects for the HPA tests: an HPA on a custom metric and the Deployment it scales. */
public final class HpaObjects {
    static final String NS = "shop";

    private HpaObjects() {
    }

    /** HPA shop/checkout on http_requests_per_second (target 100 per pod), min 2, max 40, no behavior. */
    public static HorizontalPodAutoscaler hpa(Integer statusDesired) {
        HorizontalPodAutoscalerBuilder b = new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withNamespace(NS).withName("checkout").endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("checkout").endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(40)
                .addNewMetric().withType("Pods").withNewPods()
                .withNewMetric().withName("http_requests_per_second").endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("100")).endTarget()
                .endPods().endMetric()
                .endSpec();
        if (statusDesired != null) {
            b.withNewStatus().withCurrentReplicas(4).withDesiredReplicas(statusDesired).endStatus();
        }
        return b.build();
    }

    public static HorizontalPodAutoscaler withBehavior(HorizontalPodAutoscaler hpa, int podsPerMinute) {
        return new HorizontalPodAutoscalerBuilder(hpa).editSpec().withNewBehavior().withNewScaleUp()
                .addNewPolicy().withType("Pods").withValue(podsPerMinute).withPeriodSeconds(60).endPolicy()
                .endScaleUp().endBehavior().endSpec().build();
    }

    /** Deployment shop/checkout: arm64-only pods requesting 500m and 1Gi. */
    public static Deployment deployment(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(NS).withName("checkout").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", "checkout")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Map.of("app", "checkout")).endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of("kubernetes.io/arch", "arm64"))
                .addNewContainer().withName("app").withImage("registry.example/checkout:1.4")
                .withNewResources().withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                .endResources().endContainer()
                .endSpec().endTemplate()
                .endSpec().build();
    }

    /** The ReplicaSet of the Deployment's current revision. */
    public static ReplicaSet replicaSet(int replicas) {
        Deployment d = deployment(replicas);
        return new ReplicaSetBuilder()
                .withNewMetadata().withNamespace(NS).withName("checkout-7d9f8c6b5")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("checkout")
                .withController(true).withUid("d-1").endOwnerReference()
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withTemplate(d.getSpec().getTemplate()).endSpec()
                .build();
    }

    /** A pod of the ReplicaSet, created at {@code created}, pending. */
    public static Pod pod(String name, Instant created) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(NS).withName(name)
                .withCreationTimestamp(created == null ? null : created.toString())
                .withLabels(Map.of("app", "checkout", "pod-template-hash", "7d9f8c6b5"))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("checkout-7d9f8c6b5")
                .withController(true).withUid("rs-1").endOwnerReference()
                .endMetadata()
                .withSpec(deployment(1).getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }
}
