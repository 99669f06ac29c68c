package io.archscaler.cloud.resilience;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.scaler.model.NodeGroup;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A provider for tests that records every call and answers from a queue of scripted behaviours
 * (fail with an exception, never answer, hold until released), succeeding when the queue is empty.
 */
final class FakeNodeGroupProvider implements NodeGroupProvider {

    /** A call as the fake saw it; {@code nanoTime} is System.nanoTime() when it arrived. */
    record Call(String operation, String nodeGroup, long nanoTime) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<Supplier<CompletableFuture<Object>>> script = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Object>> held = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return "fake";
    }

    /** The next {@code times} calls fail with {@code error}. */
    FakeNodeGroupProvider failNext(int times, ProviderException error) {
        for (int i = 0; i < times; i++) {
            script.add(() -> CompletableFuture.failedFuture(error));
        }
        return this;
    }

    /** The next {@code times} calls never complete. */
    FakeNodeGroupProvider hangNext(int times) {
        for (int i = 0; i < times; i++) {
            script.add(CompletableFuture::new);
        }
        return this;
    }

    /** The next {@code times} calls stay in flight until {@link #releaseHeld()}. */
    FakeNodeGroupProvider holdNext(int times) {
        for (int i = 0; i < times; i++) {
            script.add(() -> {
                CompletableFuture<Object> f = new CompletableFuture<>();
                held.add(f);
                return f;
            });
        }
        return this;
    }

    /** Completes every held call successfully. */
    void releaseHeld() {
        held.forEach(f -> f.complete(null));
    }

    /** The next call throws instead of returning a stage, as a careless provider might. */
    FakeNodeGroupProvider throwNext(RuntimeException e) {
        script.add(() -> {
            throw e;
        });
        return this;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    long calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).count();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return answer("nodeGroups", null, List.of());
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return answer("increaseSize", nodeGroup, null);
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return answer("deleteNodes", nodeGroup, null);
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return answer("decreaseTargetSize", nodeGroup, null);
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return answer("instances", nodeGroup, List.of(new Instance("i-1", "fake:///i-1", InstanceState.RUNNING)));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> answer(String operation, String nodeGroup, T value) {
        calls.add(new Call(operation, nodeGroup, System.nanoTime()));
        Supplier<CompletableFuture<Object>> next = script.poll();
        if (next == null) {
            return CompletableFuture.completedFuture(value);
        }
        return (CompletionStage<T>) (CompletionStage<?>) next.get();
    }
}
