package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * A stand-in for the ReplicaSet controller in the sandbox, which has none: keeps each workload at
 * its number of replicas, so a pod evicted by a drain comes back (pending, under a new name) for
 * the scheduler to place elsewhere. A workload is its pods' {@code app} label.
 */
final class SandboxReplicaSets {
    private record Workload(Pod template, int replicas, int[] created) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Workload> workloads = new LinkedHashMap<>();
    private final Set<String> replacements = new HashSet<>();

    SandboxReplicaSets(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Creates pods of a workload and keeps that many more from now on (a new workload, or one scaling up). */
    synchronized void create(String workload, List<Pod> pods) {
        for (Pod p : pods) {
            client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
        }
        Workload known = workloads.get(workload);
        workloads.put(workload, known == null ? new Workload(pods.get(0), pods.size(), new int[] {pods.size()})
                : new Workload(known.template(), known.replicas() + pods.size(), known.created()));
    }

    /**
     * The workloads whose pods carry the label go away: their pods are deleted in one request (so
     * they vanish together) and not replaced.
     */
    synchronized void delete(String namespace, String labelKey, String labelValue) {
        workloads.values().removeIf(w -> labelValue.equals(w.template().getMetadata().getLabels().get(labelKey)));
        client.pods().inNamespace(namespace).withLabel(labelKey, labelValue).delete();
    }

    /**
     * From now on a deleted pod is replaced at once, as the ReplicaSet controller does from its watch,
     * not at the next pass (which stays as the safety net), and {@code then} runs (the scheduler's
     * pass, watch-driven too in a cluster): an evicted pod's replacement is pending within
     * milliseconds, as in a cluster, and the autoscaler sees it waiting.
     */
    void replaceOnDeletion(Executor executor, Runnable then) {
        client.pods().inAnyNamespace().watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action != Action.DELETED) {
                    return;
                }
                try {
                    executor.execute(() -> {
                        try {
                            if (reconcilePass() > 0) {
                                then.run();
                            }
                        } catch (RuntimeException e) {
                            // the next pass replaces it
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // the sandbox is stopping
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the periodic pass goes on replacing pods
            }
        });
    }

    /** Replaces the pods of each workload that are gone; returns how many it created. */
    synchronized int reconcilePass() {
        int made = 0;
        for (Map.Entry<String, Workload> e : workloads.entrySet()) {
            Workload w = e.getValue();
            String ns = w.template().getMetadata().getNamespace();
            long live = client.pods().inNamespace(ns).withLabel("app", e.getKey()).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
            for (long i = live; i < w.replicas(); i++) {
                Pod p = replacement(w);
                client.pods().inNamespace(ns).resource(p).create();
                replacements.add(ns + "/" + p.getMetadata().getName());
                made++;
            }
        }
        return made;
    }

    /** Desired replicas per workload. */
    synchronized Map<String, Integer> replicas() {
        Map<String, Integer> out = new LinkedHashMap<>();
        workloads.forEach((name, w) -> out.put(name, w.replicas()));
        return out;
    }

    /** The first pod the workload was created with, which its replacements copy. */
    synchronized Pod template(String workload) {
        return workloads.get(workload).template();
    }

    /** Desired replicas of the workloads whose pods' labels {@code selector} matches. */
    synchronized int replicasSelectedBy(Predicate<Map<String, String>> selector) {
        return workloads.values().stream().filter(w -> selector.test(w.template().getMetadata().getLabels()))
                .mapToInt(Workload::replicas).sum();
    }

    /** Whether the pod ({@code namespace/name}) was made to replace an evicted one. */
    synchronized boolean isReplacement(String podKey) {
        return replacements.contains(podKey);
    }

    private Pod replacement(Workload w) {
        Pod t = w.template();
        String name = t.getMetadata().getOwnerReferences().get(0).getName() + "-r" + (w.created()[0]++);
        return new PodBuilder().withNewMetadata().withNamespace(t.getMetadata().getNamespace()).withName(name)
                .withCreationTimestamp(clock.instant().toString()).withLabels(t.getMetadata().getLabels())
                .withOwnerReferences(t.getMetadata().getOwnerReferences()).endMetadata()
                .withSpec(new PodBuilder(t).build().getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }
}
