package io.archscaler.e2e;

import io.archscaler.controlplane.AuditLog;
import io.archscaler.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.archscaler.e2e.E2eWorkloads.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eviction with a PodDisruptionBudget, judged by the real disruption controller and the real
 * Eviction API. Archscaler's simulated cloud grows to three nodes for five pods of {@code web}
 * (two a node); one replica fewer leaves two nodes with one pod each, unneeded. While the
 * budget's {@code disruptionsAllowed} is 0 no drain starts; once the budget allows one, a drain
 * starts, but a replica on another node turns unready at the moment of the first eviction (as a
 * failing readiness probe would), so the disruption controller takes the allowance back and the
 * API server answers 429: the drain waits and retries. When the replica is ready again the
 * eviction goes through, the ReplicaSet's replacement runs on another node (kwok), the drained
 * pod is gone and the node is removed. A sampler checks throughout that fewer pods than the
 * budget's minAvailable were never available.
 */
@ExtendWith(SharedControlPlane.class)
class PdbEvictionE2E {
    private static final String NAMESPACE = "pdb-e2e";
    private static final String GROUP = "pdb";
    private static final String NODE_GROUP = "pdb-arm64";
    private static final String TAINT = "archscaler.io/e2e-pdb";
    private static final String WEBHOOK = "archscaler-e2e-pdb-evictions";
    private static final String CONFIG = """
            cluster: e2e
            nodeGroups:
              - {name: pdb-arm64, provider: simulated, arch: arm64, maxSize: 4, pricePerHour: 0.08,
                 capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {archscaler.io/e2e-group: pdb},
                 taints: [{key: archscaler.io/e2e-pdb, value: e2e, effect: NoSchedule}],
                 simulated: {registrationDelay: 200ms}}
            scaleUp: {batchIdle: 500ms, batchMax: 2s, maxNodeProvisionTime: 1m}
            scaleDown: {enabled: true, utilizationThreshold: 0.5, unneededTime: 2s, delayAfterAdd: 2s,
                        maxGracefulTermination: 60s}
            leaderElection: {enabled: false, namespace: pdb-e2e}
            images: {resolve: false}
            """;

    /** One look at the workload, its budget and the group's nodes. */
    private record Sample(Instant at, int available, int minAvailable, Map<String, Boolean> cordoned) {
    }

    @Test
    void aDrainWaitsWhileTheBudgetAllowsNoDisruptionAndFinishesOnceItDoes(ControlPlane controlPlane, @TempDir Path dir)
            throws Exception {
        long started = System.nanoTime();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicReference<String> unready = new AtomicReference<>();
        AtomicReference<Instant> budgetTakenBack = new AtomicReference<>();
        try (KubernetesClient admin = controlPlane.newClient();
             KubernetesClient sampling = controlPlane.newClient();
             EvictionWebhook evictions = new EvictionWebhook(dir);
             ObservedArchscaler archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG, "archscaler-pdb-e2e")) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
            evictions.register(admin, WEBHOOK, NAMESPACE);
            awaitWebhookSeesEvictions(admin, evictions);

            // five replicas of 1.5 cpu on 4-cpu nodes: three nodes, two pods on two of them and one on the third
            admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).resource(E2eWorkloads.budget("web", 4)).create();
            admin.apps().deployments().inNamespace(NAMESPACE)
                    .resource(E2eWorkloads.deployment("web", 5, "example/web:1", "1500m", GROUP, TAINT)).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> pods(admin, NAMESPACE, "web").stream()
                    .filter(E2eWorkloads::available).count() == 5);
            assertThat(E2eWorkloads.nodesOf(admin, NODE_GROUP)).hasSize(3);
            step("scale-up: 5 pods available on 3 nodes", started);
            sampler.scheduleWithFixedDelay(() -> samples.add(sample(sampling)), 0, 100, TimeUnit.MILLISECONDS);

            // one replica fewer: two nodes hold one pod each, but minAvailable 4 of 4 allows no disruption
            admin.apps().deployments().inNamespace(NAMESPACE).withName("web").scale(4);
            await().atMost(Duration.ofSeconds(30)).until(() -> unremovableForPdb(archscaler) > 0);
            Thread.sleep(4_000); // twice unneededTime: a node would be drained by now if the budget were not honoured
            assertThat(drainAttempts(evictions)).as("evictions while disruptionsAllowed is 0").isEmpty();
            assertThat(samples).as("no node cordoned while disruptionsAllowed is 0")
                    .allSatisfy(s -> assertThat(s.cordoned()).doesNotContainValue(true));
            step("held back: unneeded nodes kept for NotEnoughPdb, no eviction sent", started);

            // the operator relaxes the budget to minAvailable 3: one disruption allowed, and a drain starts;
            // at its first eviction another replica turns unready and the allowance is taken back
            evictions.onNextEviction(first -> {
                unready.set(takeBudgetBack(admin, first.pod()));
                budgetTakenBack.set(Instant.now());
            });
            Instant relaxed = Instant.now();
            admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("web")
                    .edit(b -> {
                        b.getSpec().setMinAvailable(new IntOrString(3));
                        return b;
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> !drainAttempts(evictions).isEmpty());
            String evicted = drainAttempts(evictions).get(0).pod();
            String drained = nodeOf(admin, evicted);
            // the API server refuses the eviction while the budget is spent: Archscaler retries
            await().atMost(Duration.ofSeconds(30)).until(() -> answers(controlPlane, evicted).stream()
                    .filter(r -> r.code() == 429).count() >= 2);
            step("drain of " + drained + " held: evictions of " + evicted + " answered 429", started);

            Instant restored = Instant.now();
            setReady(admin, unready.get(), true);
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.nodes().withName(drained).get() == null
                    && admin.pods().inNamespace(NAMESPACE).withName(evicted).get() == null
                    && pods(admin, NAMESPACE, "web").stream().filter(E2eWorkloads::available).count() == 4);
            Instant finished = Instant.now();
            step("drain finished once the budget allowed; " + drained + " removed", started);
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);

            List<AuditLog.Request> answers = answers(controlPlane, evicted);
            List<AuditLog.Request> refused = answers.stream().filter(r -> r.code() == 429).toList();
            AuditLog.Request accepted = answers.stream().filter(r -> r.code() == 201).findFirst().orElseThrow(
                    () -> new AssertionError("no eviction of " + evicted + " was accepted: " + answers));
            Instant cordonedAt = samples.stream().filter(s -> Boolean.TRUE.equals(s.cordoned().get(drained)))
                    .map(Sample::at).findFirst().orElseThrow();
            System.out.printf("PdbEvictionE2E: %d evictions of %s refused (429) between %s and %s, accepted at %s;"
                            + " budget relaxed %s, taken back %s, given back %s; %d samples, fewest available %d%n",
                    refused.size(), evicted, refused.get(0).received(), refused.get(refused.size() - 1).received(),
                    accepted.received(), relaxed, budgetTakenBack.get(), restored, samples.size(),
                    samples.stream().mapToInt(Sample::available).min().orElse(-1));

            // the order of events
            assertThat(cordonedAt).as("cordoned after the budget allowed a disruption").isAfter(relaxed);
            assertThat(refused).as("refusals answered once the budget was spent").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.answered()).isAfter(budgetTakenBack.get()));
            assertThat(refused.get(1).received()).as("refused again before the replica was ready again").isBefore(restored);
            assertThat(answers.get(answers.size() - 1)).as("the last attempt is the accepted one").isEqualTo(accepted);
            assertThat(accepted.received()).as("accepted once the budget allowed it again").isAfter(restored);
            assertThat(answers).as("every eviction was answered 429 or 201").allSatisfy(r ->
                    assertThat(r.code()).isIn(429, 201));
            assertThat(drainAttempts(evictions)).as("only the drained pod was evicted")
                    .allSatisfy(a -> assertThat(a.pod()).isEqualTo(evicted));
            // the replacement runs elsewhere, and the PodDisruptionBudget was never broken
            assertThat(pods(admin, NAMESPACE, "web")).hasSize(4).allSatisfy(p -> {
                assertThat(p.getSpec().getNodeName()).isNotEqualTo(drained);
                assertThat(E2eWorkloads.available(p)).isTrue();
            });
            assertThat(samples).as("samples from the first scale-down to the end").hasSizeGreaterThan(20)
                    .allSatisfy(s -> assertThat(s.available()).as("available pods at " + s.at())
                            .isGreaterThanOrEqualTo(s.minAvailable()));
            assertThat(Duration.between(relaxed, finished)).isLessThan(Duration.ofSeconds(60));
            assertThat(admin.v1().events().inNamespace(NAMESPACE).list().getItems())
                    .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("deleting pod for node scale down"));
        } finally {
            sampler.shutdownNow();
            cleanUp(controlPlane);
        }
        step("whole test", started);
    }

    /**
     * What a failing readiness probe does to another replica, done at the moment of the first
     * eviction (the API server is waiting for the webhook): marks a Ready replica on another node
     * unready, then waits until the disruption controller has taken the allowance back.
     */
    private static String takeBudgetBack(KubernetesClient admin, String evicted) {
        String evictedNode = nodeOf(admin, evicted);
        Pod other = pods(admin, NAMESPACE, "web").stream()
                .filter(p -> E2eWorkloads.available(p) && !evictedNode.equals(p.getSpec().getNodeName()))
                .findFirst().orElseThrow(() -> new AssertionError("no available replica besides " + evicted));
        setReady(admin, other.getMetadata().getName(), false);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            PodDisruptionBudget b = admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("web").get();
            return b.getStatus().getObservedGeneration().equals(b.getMetadata().getGeneration())
                    && b.getStatus().getDisruptionsAllowed() == 0;
        });
        return other.getMetadata().getName();
    }

    /** Sets the pod's Ready and ContainersReady conditions, as the kubelet does when a readiness probe changes. */
    private static void setReady(KubernetesClient admin, String pod, boolean ready) {
        admin.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> {
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                    c.setStatus(ready ? "True" : "False");
                    c.setLastTransitionTime(Instant.now().toString());
                }
            }
            p.getStatus().getContainerStatuses().forEach(s -> s.setReady(ready));
            return p;
        });
    }

    private static Sample sample(KubernetesClient client) {
        List<Pod> web = pods(client, NAMESPACE, "web");
        PodDisruptionBudget budget = client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("web").get();
        Map<String, Boolean> cordoned = E2eWorkloads.nodesOf(client, NODE_GROUP).stream().collect(Collectors.toMap(
                n -> n.getMetadata().getName(), n -> Boolean.TRUE.equals(n.getSpec().getUnschedulable())));
        return new Sample(Instant.now(), (int) web.stream().filter(E2eWorkloads::available).count(),
                budget.getSpec().getMinAvailable().getIntVal(), cordoned);
    }

    /** The API server's answers to evictions of {@code pod}, from its audit log. */
    private static List<AuditLog.Request> answers(ControlPlane controlPlane, String pod) {
        return AuditLog.read(controlPlane.auditLog()).stream()
                .filter(r -> "create".equals(r.verb()) && "pods".equals(r.resource()) && "eviction".equals(r.subresource())
                        && NAMESPACE.equals(r.namespace()) && pod.equals(r.name()))
                .toList();
    }

    /**
     * Evicts a throwaway pod until the webhook has seen an eviction: the API server picks a new
     * webhook configuration up within a moment, and the drain's first eviction must not slip by.
     * The pod tolerates no taint, so it stays unscheduled and an eviction deletes it at once.
     */
    private static void awaitWebhookSeesEvictions(KubernetesClient admin, EvictionWebhook evictions) {
        var pods = admin.pods().inNamespace(NAMESPACE);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            if (pods.withName("probe").get() == null) {
                pods.resource(new PodBuilder().withNewMetadata().withName("probe").endMetadata().withNewSpec()
                        .addNewContainer().withName("c").withImage("example/probe:1").endContainer().endSpec().build()).create();
            }
            pods.withName("probe").evict();
            return evictions.attempts().stream().anyMatch(a -> "probe".equals(a.pod()));
        });
        pods.withName("probe").withGracePeriod(0).delete();
    }

    /** The evictions the webhook saw, but the probe's. */
    private static List<EvictionWebhook.Attempt> drainAttempts(EvictionWebhook evictions) {
        return evictions.attempts().stream().filter(a -> !"probe".equals(a.pod())).toList();
    }

    private static String nodeOf(KubernetesClient admin, String pod) {
        return admin.pods().inNamespace(NAMESPACE).withName(pod).get().getSpec().getNodeName();
    }

    /** {@code archscaler_unremovable_nodes_total{reason="NotEnoughPdb"}}, from Archscaler's /metrics. */
    private static double unremovableForPdb(ObservedArchscaler archscaler) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + archscaler.httpPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("archscaler_unremovable_nodes") && l.contains("NotEnoughPdb"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void cleanUp(ControlPlane controlPlane) {
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(WEBHOOK).delete();
            admin.namespaces().withName(NAMESPACE).delete();
            admin.nodes().withLabel(E2eWorkloads.GROUP_LABEL, GROUP).delete();
        }
    }

    private static void step(String what, long startedNanos) {
        System.out.printf("PdbEvictionE2E: %-70s at %5.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
