package io.archscaler.reliability;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.NodeGroup;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cloud API in a storm, in front of the simulated provider: each call (an attempt, as the
 * resilience decorator outside it makes them) first takes the next fault queued for its
 * operation (throttled, a 5xx, no answer at all) and fails with it without reaching the cloud,
 * or reaches the cloud and answers late; with no fault queued it goes through. A group can be told it has no capacity until further
 * notice. Records when each attempt came and how each ended.
 */
final class StormyCloud implements NodeGroupProvider {
    /** What one attempt runs into. */
    enum Fault {
        /** {@code ThrottlingException}, HTTP 400, retryable. */
        THROTTLED,
        /** {@code InternalFailure}, HTTP 500, retryable. */
        SERVER_ERROR,
        /** The request is lost on the way: no answer ever comes, and the cloud never sees it. */
        NO_ANSWER,
        /** The cloud does what was asked, but its answer comes only after {@link #LATE_BY}. */
        LATE_ANSWER
    }

    /** How late a {@link Fault#LATE_ANSWER} comes. */
    static final java.time.Duration LATE_BY = java.time.Duration.ofMillis(1500);

    /** One attempt: when it came, what it was, how it ended ("ok", a fault, "InsufficientCapacity"). */
    record Attempt(long nanos, String operation, String nodeGroup, String outcome) {
    }

    private final NodeGroupProvider cloud;
    private final Map<String, Deque<Fault>> queued = new HashMap<>();
    private final Set<String> noCapacity = new HashSet<>();
    private final List<Attempt> attempts = new ArrayList<>();

    StormyCloud(NodeGroupProvider cloud) {
        this.cloud = cloud;
    }

    /** The next attempts of {@code operation} ({@code increaseSize}, {@code nodeGroups}) run into these. */
    synchronized void queue(String operation, Fault... faults) {
        Deque<Fault> q = queued.computeIfAbsent(operation, o -> new ArrayDeque<>());
        q.addAll(List.of(faults));
    }

    synchronized void capacity(String nodeGroup, boolean available) {
        if (available) {
            noCapacity.remove(nodeGroup);
        } else {
            noCapacity.add(nodeGroup);
        }
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    synchronized long count(String operation, String outcome) {
        return attempts.stream().filter(a -> a.operation().equals(operation) && a.outcome().equals(outcome)).count();
    }

    /** The most attempts of any operation that came within one second of each other. */
    synchronized int mostAttemptsInOneSecond() {
        int most = 0;
        for (int i = 0; i < attempts.size(); i++) {
            int n = 0;
            for (int j = i; j < attempts.size() && attempts.get(j).nanos() - attempts.get(i).nanos() < 1_000_000_000L; j++) {
                n++;
            }
            most = Math.max(most, n);
        }
        return most;
    }

    @Override
    public String id() {
        return cloud.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return attempt("nodeGroups", "", cloud::nodeGroups);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        synchronized (this) {
            if (noCapacity.contains(nodeGroup) && peek("increaseSize") == null) {
                attempts.add(new Attempt(System.nanoTime(), "increaseSize", nodeGroup, "InsufficientCapacity"));
                return CompletableFuture.failedFuture(new InsufficientCapacityException(cloud.id(), "increaseSize",
                        nodeGroup, "InsufficientInstanceCapacity: We currently do not have sufficient capacity"));
            }
        }
        return attempt("increaseSize", nodeGroup, () -> cloud.increaseSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return attempt("deleteNodes", nodeGroup, () -> cloud.deleteNodes(nodeGroup, nodes));
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return attempt("decreaseTargetSize", nodeGroup, () -> cloud.decreaseTargetSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return attempt("instances", nodeGroup, () -> cloud.instances(nodeGroup));
    }

    private Fault peek(String operation) {
        Deque<Fault> q = queued.get(operation);
        return q == null ? null : q.peekFirst();
    }

    private <T> CompletionStage<T> attempt(String operation, String nodeGroup, Supplier<CompletionStage<T>> call) {
        Fault fault;
        long now = System.nanoTime();
        synchronized (this) {
            Deque<Fault> q = queued.get(operation);
            fault = q == null ? null : q.pollFirst();
            attempts.add(new Attempt(now, operation, nodeGroup, fault == null ? "ok" : fault.name()));
        }
        if (fault == null) {
            return call.get();
        }
        return switch (fault) {
            case THROTTLED -> CompletableFuture.failedFuture(new CloudApiException(cloud.id(), operation,
                    "ThrottlingException", "Rate exceeded", true, null));
            case SERVER_ERROR -> CompletableFuture.failedFuture(new CloudApiException(cloud.id(), operation,
                    "InternalFailure", "We encountered an internal error. Please try again.", true, null));
            case NO_ANSWER -> new CompletableFuture<>();
            case LATE_ANSWER -> {
                CompletableFuture<T> late = new CompletableFuture<>();
                call.get().whenComplete((value, failure) -> CompletableFuture.delayedExecutor(LATE_BY.toMillis(),
                        TimeUnit.MILLISECONDS).execute(() -> {
                            if (failure == null) {
                                late.complete(value);
                            } else {
                                late.completeExceptionally(failure);
                            }
                        }));
                yield late;
            }
        };
    }
}
