package io.archscaler.e2e;

import io.archscaler.controller.PodPhase;
import io.archscaler.events.Decision;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.archscaler.e2e.SchedulerWorkload.GPU;
import static io.archscaler.e2e.SchedulerWorkload.GROUP_TAINT;
import static io.archscaler.e2e.SchedulerWorkload.NODE_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kube-scheduler judges the planner. A seeded randomized workload (see {@link SchedulerWorkload})
 * is created first; its pending pods are exactly those the kube-scheduler has marked
 * {@code PodScheduled=False} with reason {@code Unschedulable}. Then Archscaler's controller plans
 * for them with the simulated provider, whose new Nodes kwok keeps Ready. Every pod the plan puts
 * on a new node of group G must be bound by the scheduler to a node of G, and every pod the plan
 * calls unschedulable must stay unbound even once an empty node of every group has been added.
 * The number of pods on which they disagree is printed with the seed and must be 0.
 */
@ExtendWith(SharedControlPlane.class)
class SchedulerAgreesWithPlanE2E {
    /** Fixed so that a run can be replayed; {@code -Darchscaler.e2e.seed=N} tries another workload. */
    private static final long SEED = Long.getLong("archscaler.e2e.seed", 20261203L);
    private static final int PODS = 48;
    private static final String NAMESPACE = "sched-e2e";
    private static final Duration SETTLE = Duration.ofSeconds(120);
    /** How long a pod the plan called unschedulable must stay unbound once every group has an empty node. */
    private static final Duration PROBE = Duration.ofSeconds(15);
    private static final List<String> GROUPS = List.of("arm-general", "x86-general", "x86-batch", "gpu", "arm-spot");
    private static final String CONFIG = """
            cluster: e2e-sched
            nodeGroups:
              - name: arm-general
                provider: simulated
                arch: arm64
                maxSize: 12
                pricePerHour: 0.04
                capacity: {cpu: "2", memory: 4Gi, pods: 8}
                labels: {workload: general, disk: ssd, %1$s: "true"}
                taints: [{key: %2$s, value: arm-general, effect: NoSchedule}]
                simulated: {registrationDelay: 1s}
              - name: x86-general
                provider: simulated
                arch: amd64
                maxSize: 12
                pricePerHour: 0.10
                capacity: {cpu: "4", memory: 8Gi, pods: 12}
                labels: {workload: general, %1$s: "true"}
                taints: [{key: %2$s, value: x86-general, effect: NoSchedule}]
                simulated: {registrationDelay: 1s}
              - name: x86-batch
                provider: simulated
                arch: amd64
                maxSize: 12
                pricePerHour: 0.08
                capacity: {cpu: "2", memory: 8Gi, pods: 4}
                labels: {workload: batch, %1$s: "true"}
                taints: [{key: %2$s, value: x86-batch, effect: NoSchedule}, {key: dedicated, value: batch, effect: NoExecute}]
                simulated: {registrationDelay: 1s}
              - name: gpu
                provider: simulated
                arch: amd64
                maxSize: 12
                pricePerHour: 0.90
                capacity: {cpu: "4", memory: 16Gi, pods: 10, %3$s: "2"}
                labels: {accelerator: example-gpu, %1$s: "true"}
                taints: [{key: %2$s, value: gpu, effect: NoSchedule}, {key: %3$s, value: present, effect: NoSchedule}]
                simulated: {registrationDelay: 1s}
              - name: arm-spot
                provider: simulated
                arch: arm64
                maxSize: 12
                pricePerHour: 0.02
                capacity: {cpu: "2", memory: 8Gi, pods: 6}
                labels: {workload: general, lifecycle: spot, %1$s: "true"}
                taints: [{key: %2$s, value: arm-spot, effect: NoSchedule}, {key: lifecycle, value: spot, effect: PreferNoSchedule}]
                simulated: {registrationDelay: 1s}
            scaleUp: {batchIdle: 1s, batchMax: 5s}
            scaleDown: {enabled: false}
            leaderElection: {enabled: false, namespace: %4$s}
            images: {resolve: false}
            """.formatted(NODE_LABEL, GROUP_TAINT, GPU, NAMESPACE);

    private static KubernetesClient client;

    @BeforeAll
    static void start(ControlPlane controlPlane) {
        client = controlPlane.newClient();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
        // the RuntimeClass admission plugin copies this overhead into every pod that names the class
        client.resource(new RuntimeClassBuilder().withNewMetadata().withName(SchedulerWorkload.RUNTIME_CLASS).endMetadata()
                .withHandler("e2e").withNewOverhead().addToPodFixed("cpu", new Quantity("250m"))
                .addToPodFixed("memory", new Quantity("120Mi")).endOverhead().build()).serverSideApply();
        daemonSet("node-agent", Map.of(NODE_LABEL, "true"), "100m", "64Mi");
        daemonSet("gpu-plugin", Map.of("accelerator", "example-gpu"), "200m", "128Mi");
    }

    @AfterAll
    static void stop() {
        try {
            client.namespaces().withName(NAMESPACE).delete();
            client.nodes().withLabel(NODE_LABEL, "true").delete();
            client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).withName(SchedulerWorkload.RUNTIME_CLASS).delete();
        } finally {
            client.close();
        }
    }

    @Test
    void everyPodPlannedOnAGroupIsBoundThereByTheKubeSchedulerAndNoPodCalledUnschedulableIsBound(ControlPlane controlPlane)
            throws Exception {
        SchedulerWorkload workload = new SchedulerWorkload(SEED, groupsWithTheirTolerations());
        List<Pod> pods = workload.pods(NAMESPACE, PODS);
        System.out.printf("SchedulerAgreesWithPlanE2E: seed %d (-Darchscaler.e2e.seed=%d replays it), %d pods: %s%n",
                SEED, SEED, pods.size(), workload.mix().features());
        long started = System.nanoTime();
        pods.forEach(p -> client.pods().inNamespace(NAMESPACE).resource(p).create());
        // what Archscaler will call pending: the scheduler's own verdict on every pod, and nothing it has not judged
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(workloadPods())
                .hasSize(PODS).allMatch(PodPhase::isUnschedulable));
        long judged = System.nanoTime();

        Map<String, String> bound;
        List<ScalePlan> plans;
        List<Decision> decisions;
        long settled;
        try (ObservedArchscaler archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG, "archscaler-sched-e2e")) {
            try {
                await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                        .until(() -> settled(archscaler, boundPods()));
            } catch (ConditionTimeoutException e) {
                // pods planned somewhere the scheduler will not bind them: counted as disagreements below
                System.out.printf("SchedulerAgreesWithPlanE2E: not settled within %d s%n", SETTLE.toSeconds());
            }
            settled = System.nanoTime();
            plans = archscaler.plans();
            decisions = archscaler.decisions();
            // a fresh empty node of every group: a pod the planner called unschedulable must still find no room
            for (String g : GROUPS) {
                // a group already at its maxSize has nodes to judge by: it gets no probe node
                archscaler.simulated().increaseSize(g, 1).exceptionally(e -> {
                    System.out.printf("SchedulerAgreesWithPlanE2E: no probe node for %s: %s%n", g, e.getMessage());
                    return null;
                }).toCompletableFuture().join();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> allNodesRegistered(archscaler));
            Thread.sleep(PROBE.toMillis());
            bound = boundPods();
        }

        Map<String, String> groupOfNode = nodesByGroup();
        Map<String, Verdict> verdicts = verdicts(plans);
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> plannedOn = new TreeMap<>();
        for (Pod pod : pods) {
            String key = NAMESPACE + "/" + pod.getMetadata().getName();
            Verdict v = verdicts.get(key);
            String node = bound.get(key);
            String boundGroup = node == null ? null : groupOfNode.getOrDefault(node, "(no group: " + node + ")");
            if (v == null) {
                disagreements.add(key + ": pending, but in no plan");
            } else if (v.unschedulable() != null) {
                plannedOn.merge("unschedulable", 1, Integer::sum);
                if (node != null) {
                    disagreements.add(key + ": reported unschedulable (" + v.unschedulable() + ") but bound to "
                            + node + " of " + boundGroup);
                }
            } else if (node == null) {
                disagreements.add(key + ": planned " + v.describe() + " but never bound");
            } else {
                plannedOn.merge(v.group() == null ? "existing capacity" : v.group(), 1, Integer::sum);
                if (v.group() != null && !v.group().equals(boundGroup)) {
                    disagreements.add(key + ": planned on " + v.group() + " but bound to " + node + " of " + boundGroup);
                }
            }
        }
        long scaleUps = decisions.stream().filter(d -> Decision.SCALE_UP.equals(d.action())
                && Decision.REQUESTED.equals(d.outcome())).count();
        System.out.printf("SchedulerAgreesWithPlanE2E: seed %d: %d pods, planned %s; %d plans, %d scale-ups, %d nodes;"
                        + " scheduler's verdict in %d ms, settled %d ms after Archscaler started%n",
                SEED, pods.size(), plannedOn, plans.size(), scaleUps, groupOfNode.size() - GROUPS.size(),
                (judged - started) / 1_000_000, (settled - judged) / 1_000_000);
        System.out.printf("SchedulerAgreesWithPlanE2E: planner and kube-scheduler disagree on %d pods%n", disagreements.size());
        disagreements.forEach(d -> System.out.println("  disagreement: " + d));

        assertThat(disagreements).as("pods on which the planner and the kube-scheduler disagree (seed " + SEED + ")").isEmpty();
        // not a vacuous run: the workload put pods on new nodes and had pods no group can take
        assertThat(plannedOn.keySet()).as("what the plans did with the workload").contains("unschedulable")
                .containsAnyElementsOf(GROUPS);
        assertThat(daemonSetPods()).as("DaemonSet pods on the new nodes").isNotEmpty()
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).as(p.getMetadata().getName()).isNotNull());
    }

    /** The last word of the plans on one pod: the group of a new node, existing capacity, or why it is unschedulable. */
    private record Verdict(String group, String unschedulable) {
        String describe() {
            return group == null ? "on existing capacity" : "on " + group;
        }
    }

    private static Map<String, Verdict> verdicts(List<ScalePlan> plans) {
        Map<String, Verdict> out = new HashMap<>();
        for (ScalePlan plan : plans) {
            for (ScaleUp up : plan.scaleUps()) {
                up.pods().forEach(p -> out.put(p, new Verdict(up.nodeGroup(), null)));
            }
            // room on a node that is on its way or registered: the pod keeps the group it was planned on
            plan.onExistingCapacity().forEach(p -> out.merge(p, new Verdict(null, null),
                    (old, now) -> old.unschedulable() == null ? old : now));
            for (Unschedulable u : plan.unschedulable()) {
                out.put(u.pod(), new Verdict(null, u.reason()));
            }
        }
        return out;
    }

    /**
     * Settled: at least one plan was made, every node asked for is registered and schedulable, and
     * every pod of the workload is bound or called unschedulable by the latest plan.
     */
    private static boolean settled(ObservedArchscaler archscaler, Map<String, String> bound) {
        List<ScalePlan> plans = archscaler.plans();
        if (plans.isEmpty() || !allNodesRegistered(archscaler)) {
            return false;
        }
        Set<String> unschedulable = plans.get(plans.size() - 1).unschedulable().stream().map(Unschedulable::pod)
                .collect(Collectors.toSet());
        return workloadPods().stream().map(p -> NAMESPACE + "/" + p.getMetadata().getName())
                .allMatch(k -> bound.containsKey(k) || unschedulable.contains(k));
    }

    /** The simulated provider's target sizes add up to the schedulable nodes of the test's groups: none in flight. */
    private static boolean allNodesRegistered(ObservedArchscaler archscaler) {
        int target = archscaler.simulated().nodeGroups().toCompletableFuture().join().stream()
                .mapToInt(NodeGroup::targetSize).sum();
        List<Node> nodes = client.nodes().withLabel(NODE_LABEL, "true").list().getItems();
        return nodes.size() == target && nodes.stream().allMatch(E2eNodes::schedulable);
    }

    private static List<Pod> workloadPods() {
        return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("p-")).toList();
    }

    private static List<Pod> daemonSetPods() {
        return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> !p.getMetadata().getName().startsWith("p-")).toList();
    }

    private static Map<String, String> boundPods() {
        Map<String, String> out = new HashMap<>();
        for (Pod p : workloadPods()) {
            if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
                out.put(NAMESPACE + "/" + p.getMetadata().getName(), p.getSpec().getNodeName());
            }
        }
        return out;
    }

    /** Each node of the test's groups with its group, from the label every group's template carries. */
    private static Map<String, String> nodesByGroup() {
        Map<String, String> out = new TreeMap<>();
        for (Node n : client.nodes().withLabel(NODE_LABEL, "true").list().getItems()) {
            out.put(n.getMetadata().getName(), n.getMetadata().getLabels().get(NodeTemplate.GROUP_LABEL));
        }
        return out;
    }

    private static List<SchedulerWorkload.Group> groupsWithTheirTolerations() {
        Toleration batch = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("batch")
                .withEffect("NoExecute").build();
        Toleration gpu = new TolerationBuilder().withKey(GPU).withOperator("Exists").withEffect("NoSchedule").build();
        return List.of(new SchedulerWorkload.Group("arm-general", List.of()),
                new SchedulerWorkload.Group("x86-general", List.of()),
                new SchedulerWorkload.Group("x86-batch", List.of(batch)),
                new SchedulerWorkload.Group("gpu", List.of(gpu)),
                // its PreferNoSchedule taint keeps no pod off
                new SchedulerWorkload.Group("arm-spot", List.of()));
    }

    /** A DaemonSet on the nodes with {@code selector}, tolerating every taint, as node agents do. */
    private static void daemonSet(String name, Map<String, String> selector, String cpu, String memory) {
        client.apps().daemonSets().inNamespace(NAMESPACE).resource(new DaemonSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeSelector(selector).addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("agent").withImage("example/" + name + ":1").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources()
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
    }
}
