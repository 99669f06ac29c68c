package io.archscaler.sandbox;

import io.archscaler.controller.KubeTranslation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The cluster the demo drives: its script is written once against this, and each backend (the
 * in-process sandbox, a real control plane) makes workloads, plays the HPA and reads pods and
 * nodes its own way.
 */
interface DemoCluster extends AutoCloseable {
    /**
     * What a backend gets once Archscaler runs: its HTTP port, its translation, the demo's executor
     * and an image of the demo's registry published for amd64 only (the placement webhook pins it).
     */
    record Attachment(int httpPort, KubeTranslation kube, ScheduledExecutorService executor, String amd64OnlyImage) {
    }

    /** The client Archscaler and the demo's reads use. */
    KubernetesClient client();

    /** One line: what runs the cluster, for the demo's first line. */
    String describe();

    /** Config sections (YAML, top-level keys) this backend adds to the demo's config: webhook, Prometheus. */
    String extraConfig();

    /** Called once Archscaler runs: admission is wired to its webhook, and any background work starts. */
    void attach(Attachment attachment) throws Exception;

    /** Creates a workload's replicas (with its HPA, when given) and returns its pods as admitted. */
    List<Pod> deploy(DemoWorkload.Spec workload, HorizontalPodAutoscaler hpa);

    /** The workload's metric climbs to {@code perPod} (per pod, as its HPA reads it). */
    void loadClimbs(String workload, String metric, double perPod);

    /**
     * Returns when the HPA has added replicas (from {@code from} to about {@code to}): the moment the
     * first pod it added existed, or null when it did not act.
     */
    Instant hpaActs(String workload, int from, int to);

    /** The workloads whose pods carry this label go away, their pods together, not replaced. */
    void endWorkloads(String labelKey, String labelValue);

    /** Desired replicas per workload. */
    Map<String, Integer> replicas();

    /** The demo's pods (not those being deleted). */
    List<Pod> pods();

    List<Node> nodes();

    /** How long each pod waited for capacity, from creation to bound; replacements of evicted pods left out. */
    Map<String, Duration> waitsForCapacity();

    /** How long each pod waited from creation to bound, replacements of evicted pods included. */
    Map<String, Duration> waitsToBind();

    /** Pods made from now on replace evicted ones: the moves to arm64 begin. */
    void evictionsReplaceFromNow();

    /**
     * Calls {@code observer} with the PodDisruptionBudgets' health each time the cluster's
     * disruption controller counts it. Call after {@link #attach}.
     */
    void observeBudgets(Consumer<List<BudgetHealth>> observer);

    /** One budget's health at one count: {@code healthy} of its pods run, it wants at least {@code desired}. */
    record BudgetHealth(String budget, int healthy, int desired) {
        boolean violated() {
            return healthy < desired;
        }
    }
}
