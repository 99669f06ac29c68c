package io.archscaler.sandbox;

import io.archscaler.kube.KubeScaleDown;
import io.archscaler.scaler.scaledown.LabelSelector;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the disruption controller in the sandbox, which has none: keeps each
 * PodDisruptionBudget's status as kube-controller-manager does, so that the eviction API refuses
 * while a budget has no disruption left and lets evictions through again once the evicted pods'
 * replacements run. {@code currentHealthy} counts the selected pods bound and Running;
 * {@code desiredHealthy} is {@code minAvailable}, or the selected workloads' replicas less
 * {@code maxUnavailable} (percentages of the replicas rounded up, as the controller does);
 * {@code disruptionsAllowed} is what is left above it. A status is written with the resourceVersion
 * read, so an eviction that drew the budget down meanwhile wins and the next pass recounts.
 */
final class SandboxDisruptionBudgets {
    private final KubernetesClient client;
    private final SandboxReplicaSets replicaSets;

    SandboxDisruptionBudgets(KubernetesClient client, SandboxReplicaSets replicaSets) {
        this.client = client;
        this.replicaSets = replicaSets;
    }

    /** Recounts every budget and writes its status; returns each budget's health as counted. */
    List<DemoCluster.BudgetHealth> reconcilePass() {
        List<PodDisruptionBudget> budgets = client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems();
        if (budgets.isEmpty()) {
            return List.of();
        }
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        List<DemoCluster.BudgetHealth> out = new ArrayList<>(budgets.size());
        for (PodDisruptionBudget b : budgets) {
            LabelSelector selector = KubeScaleDown.budget(b).selector();
            String ns = b.getMetadata().getNamespace();
            int healthy = 0;
            for (Pod p : pods) {
                if (selector != null && ns.equals(p.getMetadata().getNamespace()) && selector.matches(labels(p))
                        && healthy(p)) {
                    healthy++;
                }
            }
            int expected = selector == null ? 0 : replicaSets.replicasSelectedBy(selector::matches);
            int desired = desiredHealthy(b, expected);
            out.add(new DemoCluster.BudgetHealth(ns + "/" + b.getMetadata().getName(), healthy, desired));
            write(b, new PodDisruptionBudgetStatusBuilder().withCurrentHealthy(healthy).withDesiredHealthy(desired)
                    .withDisruptionsAllowed(Math.max(0, healthy - desired)).withExpectedPods(expected)
                    .withObservedGeneration(b.getMetadata().getGeneration()).build());
        }
        return out;
    }

    private void write(PodDisruptionBudget b, PodDisruptionBudgetStatus status) {
        b.setStatus(status);
        try {
            client.policy().v1().podDisruptionBudget().inNamespace(b.getMetadata().getNamespace()).resource(b)
                    .updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // an eviction drew the budget down since it was read: recounted on the next pass
        }
    }

    /** {@code minAvailable}, else {@code expected} less {@code maxUnavailable}; a budget with neither wants none. */
    static int desiredHealthy(PodDisruptionBudget b, int expected) {
        IntOrString min = b.getSpec().getMinAvailable();
        IntOrString max = b.getSpec().getMaxUnavailable();
        if (min != null) {
            return scaled(min, expected);
        }
        return max == null ? 0 : Math.max(0, expected - scaled(max, expected));
    }

    private static int scaled(IntOrString v, int expected) {
        if (v.getIntVal() != null) {
            return v.getIntVal();
        }
        String s = v.getStrVal();
        if (s == null || !s.endsWith("%")) {
            throw new IllegalArgumentException("a PodDisruptionBudget value must be a number or a percentage, was " + s);
        }
        return (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * expected / 100.0);
    }

    private static boolean healthy(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getSpec().getNodeName() != null
                && p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
    }

    private static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }
}
