package io.archscaler.sandbox;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.testing.SandboxCluster;
import io.archscaler.testing.SandboxScheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's in-process backend: fabric8's mock Kubernetes API, with stand-ins for what it lacks —
 * a scheduler, ReplicaSets, the API server's call to the placement webhook — and the HPA played
 * by the script (a metric event, then the replicas it asks for).
 */
final class SandboxDemoCluster implements DemoCluster {
    private final SandboxCluster cluster = new SandboxCluster();
    private final Vertx vertx;
    private final Clock clock;
    private SandboxScheduler scheduler;
    private SandboxReplicaSets replicaSets;
    private SandboxAdmission admission;
    private SandboxDisruptionBudgets budgets;
    private volatile Consumer<List<BudgetHealth>> budgetObserver = health -> { };

    SandboxDemoCluster(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    @Override
    public KubernetesClient client() {
        return cluster.client();
    }

    @Override
    public String describe() {
        return "Kubernetes API " + cluster.url();
    }

    @Override
    public String extraConfig() {
        return "";
    }

    @Override
    public void attach(Attachment a) {
        KubernetesClient client = cluster.client();
        admission = new SandboxAdmission(URI.create("http://127.0.0.1:" + a.httpPort() + "/mutate-pods"));
        scheduler = new SandboxScheduler(client,
                new SandboxScheduler.Translation(a.kube()::pendingPod, a.kube()::requests, a.kube()::node), clock);
        replicaSets = new SandboxReplicaSets(client, clock);
        budgets = new SandboxDisruptionBudgets(client, replicaSets);
        // an evicted pod is replaced from the watch, as the ReplicaSet controller does, not on the next pass
        replicaSets.replaceOnDeletion(a.executor(), scheduler::schedulePass);
        a.executor().scheduleWithFixedDelay(() -> safely(() -> {
            // the budgets are counted before evicted pods are replaced, so a dip in health is seen
            budgetObserver.accept(budgets.reconcilePass());
            replicaSets.reconcilePass();
            scheduler.schedulePass();
        }), 0, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Pod> deploy(DemoWorkload.Spec w, HorizontalPodAutoscaler hpa) {
        KubernetesClient client = cluster.client();
        List<Pod> pods;
        if (hpa == null) {
            pods = DemoWorkload.replicas(w.name(), w.replicas(), w.image(), w.cpu(), w.memory(), w.nodeSelector(),
                    clock.instant());
        } else {
            DemoWorkload.deployment(w.name(), w.replicas(), w.image(), w.cpu(), w.memory())
                    .forEach(o -> client.resource(o).create());
            client.resource(hpa).create();
            pods = DemoWorkload.replicaSetPods(w.name(), 0, w.replicas(), w.image(), w.cpu(), w.memory(), clock.instant());
        }
        pods.forEach(p -> p.getMetadata().getLabels().putAll(w.labels()));
        List<Pod> admitted = admit(pods);
        replicaSets.create(w.name(), admitted);
        return admitted;
    }

    @Override
    public void loadClimbs(String workload, String metric, double perPod) {
        vertx.eventBus().request(EventAddresses.METRICS, new MetricSample("sandbox", DemoWorkload.NAMESPACE,
                workload, metric, perPod, clock.instant()));
    }

    @Override
    public Instant hpaActs(String workload, int from, int to) {
        Instant acted = clock.instant();
        var container = replicaSets.template(workload).getSpec().getContainers().get(0);
        Map<String, io.fabric8.kubernetes.api.model.Quantity> requests = container.getResources().getRequests();
        replicaSets.create(workload, admit(DemoWorkload.replicaSetPods(workload, from, to - from, container.getImage(),
                requests.get("cpu").toString(), requests.get("memory").toString(), clock.instant())));
        return acted;
    }

    @Override
    public void endWorkloads(String labelKey, String labelValue) {
        replicaSets.delete(DemoWorkload.NAMESPACE, labelKey, labelValue);
    }

    @Override
    public Map<String, Integer> replicas() {
        return replicaSets.replicas();
    }

    @Override
    public List<Pod> pods() {
        return cluster.client().pods().inAnyNamespace().list().getItems();
    }

    @Override
    public List<Node> nodes() {
        return cluster.client().nodes().list().getItems();
    }

    @Override
    public Map<String, Duration> waitsForCapacity() {
        Map<String, Duration> waits = new HashMap<>();
        // replacements of evicted pods had room waiting for them
        scheduler.pendingToScheduled().forEach((pod, d) -> {
            if (!replicaSets.isReplacement(pod)) {
                waits.put(pod, d);
            }
        });
        return waits;
    }

    @Override
    public Map<String, Duration> waitsToBind() {
        return scheduler.pendingToScheduled();
    }

    @Override
    public void evictionsReplaceFromNow() {
        // the ReplicaSet stand-in knows which pods it made to replace evicted ones
    }

    @Override
    public void observeBudgets(Consumer<List<BudgetHealth>> observer) {
        budgetObserver = observer;
    }

    /** The pods as the API server would admit them: through the placement webhook. */
    private List<Pod> admit(List<Pod> pods) {
        List<Pod> admitted = new ArrayList<>(pods.size());
        try {
            for (Pod p : pods) {
                admitted.add(admission.admit(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return admitted;
    }

    @Override
    public void close() {
        cluster.close();
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // the sandbox keeps going: a failed pass is retried on the next tick
        }
    }
}
