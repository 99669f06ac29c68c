package io.archscaler.controller;

import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Takes a node out of service for removal as the Cluster Autoscaler does: cordon it, taint it
 * {@code archscaler.io/to-be-deleted:NoSchedule}, evict its pods through the Eviction API
 * (retrying while a PodDisruptionBudget answers 429) and wait for them to be gone; and puts the
 * node back when a drain fails. Every blocking Kubernetes call runs on the given executor.
 */
public final class NodeDrainer {
    /** Set on a node Archscaler cordoned itself, so undoing a drain never uncordons an operator's cordon. */
    public static final String CORDONED_ANNOTATION = "archscaler.io/cordoned";
    /**
     * Set on an amd64 node whose pods are moving to arm64 (its value: restore or replace), so that a
     * new leader can tell a move's cordon from a drain's and undo it.
     */
    public static final String MOVING_ANNOTATION = "archscaler.io/moving-to-arm64";
    /**
     * The taint on a node whose instance AWS is taking away (a spot interruption, a scheduled
     * change); its value is the kind of notice. Archscaler's own key rather than Karpenter's
     * {@code karpenter.sh/disrupted}, so neither controller takes the other's node for its own.
     */
    public static final String INTERRUPTED_TAINT = "archscaler.io/interrupted";
    /** The Event each evicted pod gets from a scale-down drain. */
    public static final PodNotice SCALE_DOWN = new PodNotice("ScaleDown", "deleting pod for node scale down");
    private static final Logger LOG = LoggerFactory.getLogger(NodeDrainer.class);
    private static final long DEFAULT_GRACE_SECONDS = 30;
    private static final int EDIT_ATTEMPTS = 3;

    /**
     * How patient a drain is.
     *
     * @param maxGracefulTermination bound on evicting the pods, and on each pod's grace period
     * @param evictionRetry          first wait after a refused eviction, doubling up to {@code maxEvictionRetry}
     * @param podGoneHeadroom        added to the longest grace period when waiting for pods to be gone
     * @param pollInterval           how often to look whether the evicted pods are gone
     */
    public record Settings(Duration maxGracefulTermination, Duration evictionRetry, Duration maxEvictionRetry,
                           Duration podGoneHeadroom, Duration pollInterval) {
        public static Settings of(Duration maxGracefulTermination) {
            return new Settings(maxGracefulTermination, Duration.ofSeconds(1), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), Duration.ofSeconds(1));
        }
    }

    /** The Event an evicted pod gets: why its node is drained. */
    public record PodNotice(String reason, String message) {
    }

    /** A drain that could not finish, with why. */
    public static final class DrainFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DrainFailedException(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    /** The same client without fabric8's own retries, so a refused eviction comes back at once. */
    private final KubernetesClient evictions;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Settings settings;
    private final PodEventRecorder events;
    private final IntervalFunction backoff;
    /** Retries refused evictions (429, server errors, broken connections) until the drain's deadline. */
    private final Retry evictionRetry;

    /** {@code events} is the paced recorder the scale-up Events go through too. */
    public NodeDrainer(KubernetesClient client, ScheduledExecutorService executor, Clock clock, Settings settings,
                       PodEventRecorder events) {
        this.client = client;
        this.evictions = client.newClient(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).build())
                .adapt(KubernetesClient.class);
        this.executor = executor;
        this.clock = clock;
        this.settings = settings;
        this.events = events;
        this.backoff = IntervalFunction.ofExponentialBackoff(settings.evictionRetry(), 2,
                settings.maxEvictionRetry());
        // no attempt limit: an eviction is tried until the drain's deadline, which each attempt checks itself
        this.evictionRetry = Retry.of("eviction", RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(backoff)
                .retryOnException(e -> e instanceof Refused)
                .failAfterMaxAttempts(false)
                .build());
    }

    /** Marks the node unschedulable (remembering whether it was already) and puts the to-be-deleted taint on it. */
    public CompletionStage<Void> cordonAndTaint(String node) {
        String value = Long.toString(clock.instant().getEpochSecond());
        return editNode(node, n -> {
            var spec = cordon(n);
            List<Taint> taints = spec.getTaints() == null ? new ArrayList<>() : new ArrayList<>(spec.getTaints());
            if (taints.stream().noneMatch(NodeDrainer::isOurs)) {
                taints.add(new TaintBuilder().withKey(ScaleDownAnnotations.TO_BE_DELETED_TAINT).withValue(value)
                        .withEffect("NoSchedule").build());
            }
            spec.setTaints(taints);
        }, true);
    }

    /** Marks the node unschedulable and taints it {@link #INTERRUPTED_TAINT}{@code =kind:NoSchedule}. */
    public CompletionStage<Void> cordonAndTaintInterrupted(String node, String kind) {
        return editNode(node, n -> {
            var spec = cordon(n);
            List<Taint> taints = spec.getTaints() == null ? new ArrayList<>() : new ArrayList<>(spec.getTaints());
            if (taints.stream().noneMatch(t -> INTERRUPTED_TAINT.equals(t.getKey()))) {
                taints.add(new TaintBuilder().withKey(INTERRUPTED_TAINT).withValue(kind).withEffect("NoSchedule").build());
            }
            spec.setTaints(taints);
        }, true);
    }

    /** Whether the node carries the {@link #INTERRUPTED_TAINT}: it is being replaced for an interruption. */
    public static boolean interrupted(Node n) {
        return n != null && n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> INTERRUPTED_TAINT.equals(t.getKey()));
    }

    /** A drainer like this one whose drains end by {@code max} at the latest (an interruption's notice). */
    public NodeDrainer within(Duration max) {
        Duration bound = settings.maxGracefulTermination().compareTo(max) < 0 ? settings.maxGracefulTermination() : max;
        return new NodeDrainer(client, executor, clock, new Settings(bound, settings.evictionRetry(),
                settings.maxEvictionRetry(), settings.podGoneHeadroom(), settings.pollInterval()), events);
    }

    /**
     * Marks the node unschedulable (remembering whether it was already) and as moving to arm64, so
     * that the pods evicted later do not come back to it; no taint yet: nothing is drained.
     */
    public CompletionStage<Void> cordonForMove(String node, String reason) {
        return editNode(node, n -> {
            cordon(n);
            annotations(n).put(MOVING_ANNOTATION, reason);
        }, true);
    }

    /** Marks the node unschedulable, remembering that Archscaler did when it was not already. */
    private static io.fabric8.kubernetes.api.model.NodeSpec cordon(Node n) {
        var spec = n.getSpec() == null ? new io.fabric8.kubernetes.api.model.NodeSpec() : n.getSpec();
        n.setSpec(spec);
        if (!Boolean.TRUE.equals(spec.getUnschedulable())) {
            spec.setUnschedulable(true);
            annotations(n).put(CORDONED_ANNOTATION, "true");
        }
        return spec;
    }

    /** Whether the node carries the mark of a move to arm64. */
    public static boolean movingToArm64(Node n) {
        return n != null && n.getMetadata() != null && n.getMetadata().getAnnotations() != null
                && n.getMetadata().getAnnotations().containsKey(MOVING_ANNOTATION);
    }

    /**
     * Removes the taint, the mark of a move, and the cordon if Archscaler put it there; a node
     * already gone is fine.
     */
    public CompletionStage<Void> uncordonAndUntaint(String node) {
        return editNode(node, n -> {
            if (n.getMetadata().getAnnotations() != null) {
                n.getMetadata().getAnnotations().remove(MOVING_ANNOTATION);
            }
            if (n.getSpec() != null && n.getSpec().getTaints() != null) {
                n.getSpec().setTaints(new ArrayList<>(n.getSpec().getTaints().stream().filter(t -> !isOurs(t)).toList()));
            }
            if (n.getMetadata().getAnnotations() != null
                    && n.getMetadata().getAnnotations().remove(CORDONED_ANNOTATION) != null && n.getSpec() != null) {
                n.getSpec().setUnschedulable(null);
            }
        }, false);
    }

    /**
     * Evicts every pod (retrying refusals until {@code maxGracefulTermination} has passed), then waits
     * until they are gone, for at most the longest of their grace periods (capped at
     * {@code maxGracefulTermination}) plus headroom. Fails with {@link DrainFailedException}.
     */
    public CompletionStage<Void> evictAndWait(String node, List<Pod> pods) {
        return evictAndWait(node, pods, SCALE_DOWN);
    }

    /** {@link #evictAndWait(String, List)}, each evicted pod told {@code notice} in an Event. */
    public CompletionStage<Void> evictAndWait(String node, List<Pod> pods, PodNotice notice) {
        if (pods.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant evictBy = clock.instant().plus(settings.maxGracefulTermination());
        List<CompletableFuture<Void>> evictions = new ArrayList<>();
        for (Pod p : pods) {
            AtomicInteger attempts = new AtomicInteger();
            evictions.add(evictionRetry.executeCompletionStage(executor,
                    () -> CompletableFuture.runAsync(() -> evict(new Target(node, p, notice), evictBy,
                            attempts.incrementAndGet()), executor))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(evictions.toArray(new CompletableFuture[0])).thenCompose(v -> {
            long grace = pods.stream().mapToLong(this::graceSeconds).max().orElse(0);
            Instant goneBy = clock.instant().plusSeconds(grace).plus(settings.podGoneHeadroom());
            CompletableFuture<Void> gone = new CompletableFuture<>();
            awaitGone(node, pods, goneBy, gone);
            return gone;
        });
    }

    /** Deletes the Node object (its instance is gone); a node already gone is fine. */
    public CompletionStage<Void> deleteNode(String node) {
        return supply(() -> {
            try {
                client.nodes().withName(node).delete();
                return null;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return null;
                }
                throw new DrainFailedException("deleting node " + node + " failed: " + e.getMessage());
            }
        });
    }

    /** Records a Kubernetes Event on the node, as {@code kubectl describe node} shows it; never fails. */
    public void nodeEvent(String node, String type, String reason, String message) {
        events.node(node, type, reason, message);
    }

    /** The Retry refused evictions go through, for its metrics and events. */
    Retry evictionRetry() {
        return evictionRetry;
    }

    /**
     * One eviction attempt: returns once the pod is evicted or gone; throws {@link Refused} when the API server
     * refused it and a retry would still start before {@code evictBy}, else {@link DrainFailedException}.
     */
    private void evict(Target target, Instant evictBy, int attempt) {
        String node = target.node();
        Pod pod = target.pod();
        String key = key(pod);
        String refusal;
        try {
            if (evictions.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .evict(eviction(pod))) {
                LOG.info("evicted {} from {}", key, node);
                events.normal(PodRef.of(pod), target.notice().reason(), target.notice().message());
                return;
            }
            refusal = "the API server refused the eviction (429), most likely a PodDisruptionBudget";
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (!retryable(e)) {
                throw new DrainFailedException("eviction of " + key + " failed: " + e.getMessage());
            }
            refusal = e.getMessage();
        } catch (RuntimeException e) {
            throw new DrainFailedException("eviction of " + key + " failed: " + e.getMessage());
        }
        Duration wait = Duration.ofMillis(backoff.apply(attempt));
        if (clock.instant().plus(wait).isAfter(evictBy)) {
            throw new DrainFailedException("pod " + key + " could not be evicted within "
                    + settings.maxGracefulTermination().toSeconds() + "s: " + refusal);
        }
        LOG.debug("eviction of {} refused ({}); retrying in {}", key, refusal, wait);
        throw new Refused(refusal);
    }

    /** One pod to evict from a node, and what its Event says. */
    private record Target(String node, Pod pod, PodNotice notice) {
    }

    /** An eviction the API server refused for now; the Retry tries it again. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private void awaitGone(String node, List<Pod> pods, Instant goneBy, CompletableFuture<Void> gone) {
        executor.execute(() -> {
            List<String> left = new ArrayList<>();
            try {
                for (Pod p : pods) {
                    Pod now = client.pods().inNamespace(p.getMetadata().getNamespace())
                            .withName(p.getMetadata().getName()).get();
                    boolean same = now != null && now.getMetadata().getUid() != null
                            && now.getMetadata().getUid().equals(p.getMetadata().getUid())
                            && now.getSpec() != null && node.equals(now.getSpec().getNodeName());
                    if (same && !finished(now)) {
                        left.add(key(p));
                    }
                }
            } catch (RuntimeException e) {
                left.add("(could not look: " + e.getMessage() + ")");
            }
            if (left.isEmpty()) {
                gone.complete(null);
            } else if (clock.instant().isAfter(goneBy)) {
                gone.completeExceptionally(new DrainFailedException("pods still on " + node + " after their grace period: "
                        + String.join(", ", left)));
            } else {
                executor.schedule(() -> awaitGone(node, pods, goneBy, gone), settings.pollInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private Eviction eviction(Pod pod) {
        return new EvictionBuilder().withNewMetadata().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withDeleteOptions(new DeleteOptionsBuilder().withGracePeriodSeconds(graceSeconds(pod)).build())
                .build();
    }

    /** The pod's own grace period, capped at maxGracefulTermination, as the Cluster Autoscaler does. */
    private long graceSeconds(Pod pod) {
        Long own = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
        return Math.min(own == null ? DEFAULT_GRACE_SECONDS : own, settings.maxGracefulTermination().toSeconds());
    }

    /** Too-many-requests, server errors and broken connections pass; anything else will not. */
    private static boolean retryable(KubernetesClientException e) {
        return e.getCode() == 429 || e.getCode() >= 500 || e.getCode() <= 0;
    }

    private CompletionStage<Void> editNode(String node, java.util.function.Consumer<Node> change, boolean mustExist) {
        return supply(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    if (client.nodes().withName(node).get() == null) {
                        if (mustExist) {
                            throw new DrainFailedException("node " + node + " no longer exists");
                        }
                        return null;
                    }
                    client.nodes().withName(node).edit(n -> {
                        change.accept(n);
                        return n;
                    });
                    return null;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt >= EDIT_ATTEMPTS) {
                        throw new DrainFailedException("updating node " + node + " failed: " + e.getMessage());
                    }
                }
            }
        });
    }

    private <T> CompletionStage<T> supply(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    private static boolean finished(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static boolean isOurs(Taint t) {
        return ScaleDownAnnotations.TO_BE_DELETED_TAINT.equals(t.getKey());
    }

    private static Map<String, String> annotations(Node n) {
        if (n.getMetadata().getAnnotations() == null) {
            n.getMetadata().setAnnotations(new HashMap<>());
        }
        return n.getMetadata().getAnnotations();
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
