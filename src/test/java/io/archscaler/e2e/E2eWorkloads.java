package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * Workloads of an end-to-end test kept to its own node groups: every pod selects the nodes
 * labelled {@value #GROUP_LABEL}{@code =<test>} and tolerates the taint {@code taintKey} those
 * groups' nodes carry, so other tests' nodes never take them and theirs never land here.
 */
final class E2eWorkloads {
    /** The label an end-to-end test's node groups put on their nodes. */
    static final String GROUP_LABEL = "archscaler.io/e2e-group";
    /** The label the provider's nodes carry with their group's name. */
    static final String NODE_GROUP_LABEL = "archscaler.io/node-group";

    private E2eWorkloads() {
    }

    /** A Deployment of {@code replicas} pods of {@code image}, each asking for {@code cpu}, on {@code group}'s nodes. */
    static Deployment deployment(String name, int replicas, String image, String cpu, String group, String taintKey) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage(image)
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .addToNodeSelector(GROUP_LABEL, group)
                .addNewToleration().withKey(taintKey).withOperator("Exists").withEffect("NoSchedule").endToleration()
                // kwok ends a deleted pod at once; a short grace keeps an eviction's wait short anyway
                .withTerminationGracePeriodSeconds(1L)
                .endSpec().endTemplate()
                .endSpec().build();
    }

    /** A PodDisruptionBudget over the pods of Deployment {@code app} that keeps {@code minAvailable} of them available. */
    static PodDisruptionBudget budget(String app, int minAvailable) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(app).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(minAvailable))
                .withNewSelector().addToMatchLabels("app", app).endSelector().endSpec().build();
    }

    static List<Pod> pods(KubernetesClient client, String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }

    /** The nodes of one of Archscaler's node groups, by the label the provider puts on them. */
    static List<Node> nodesOf(KubernetesClient client, String nodeGroup) {
        return client.nodes().withLabel(NODE_GROUP_LABEL, nodeGroup).list().getItems();
    }

    /** Running, Ready and not being deleted: what a PodDisruptionBudget counts as healthy. */
    static boolean available(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase()) && condition(p, "Ready", "True");
    }

    /** Whether the pod has the condition {@code type} with {@code status}. */
    static boolean condition(Pod p, String type, String status) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus()));
    }

    /** Whether the kube-scheduler has marked the pod {@code PodScheduled=False} with reason {@code Unschedulable}. */
    static boolean markedUnschedulable(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()));
    }
}
