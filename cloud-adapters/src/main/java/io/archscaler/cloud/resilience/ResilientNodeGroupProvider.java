package io.archscaler.cloud.resilience;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.cloud.ProviderException;
import io.archscaler.scaler.model.NodeGroup;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Wraps any {@link NodeGroupProvider} with resilience4j guards, outermost first:
 * <ol>
 *   <li>Retry with exponential random backoff, of {@link ProviderException#retryable()} failures only
 *       (throttling, 5xx, conflicts, {@link CallTimeoutException}, {@link CallRejectedException}), never of
 *       insufficient capacity or an open circuit, and never of a timed-out {@code increaseSize} or
 *       {@code decreaseTargetSize}: those may have been carried out, and a second one would change the size
 *       twice;</li>
 *   <li>a circuit per node group on {@code increaseSize} only, counting only insufficient-capacity errors
 *       (see {@link NodeGroupCircuits}); open, it fails fast with {@link CircuitOpenException}.
 *       {@code deleteNodes}, {@code decreaseTargetSize} and {@code instances} are never blocked by it: removing
 *       nodes or listing machines needs no capacity;</li>
 *   <li>a rate limit per provider: a call over it waits, on the scheduler, for the next period;</li>
 *   <li>a semaphore bulkhead on calls in flight: over it, a call is rejected at once (no thread blocks)
 *       and the retry's backoff is its wait;</li>
 *   <li>a timeout per attempt, on the scheduler.</li>
 * </ol>
 * Each attempt passes every guard, so an attempt is what the cloud API sees. All timing runs on the
 * {@link ScheduledExecutorService} given to the constructor; the decorator keeps no global state.
 * To meter each API attempt wrap the provider in a {@link MeteredNodeGroupProvider} first and this
 * around it; to meter whole calls (retries included), wrap the other way round.
 */
public final class ResilientNodeGroupProvider implements NodeGroupProvider {
    /** Calls that change a size by a delta: not safe to repeat when their outcome is unknown. */
    private static final Set<String> CHANGES_BY_DELTA = Set.of("increaseSize", "decreaseTargetSize");

    private final NodeGroupProvider delegate;
    private final ResiliencePolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;
    private final RateLimiter rateLimiter;
    private final Bulkhead bulkhead;
    private final NodeGroupCircuits circuits;

    public ResilientNodeGroupProvider(NodeGroupProvider delegate, ResiliencePolicy policy,
                                      ScheduledExecutorService scheduler) {
        this(delegate, policy, scheduler, CircuitListener.NOOP);
    }

    public ResilientNodeGroupProvider(NodeGroupProvider delegate, ResiliencePolicy policy,
                                      ScheduledExecutorService scheduler, CircuitListener listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        String name = delegate.id();
        ResiliencePolicy.Backoff b = policy.backoff();
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(b.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(b.initial(), b.multiplier(), b.jitter(),
                        b.max()))
                .retryOnException(ResilientNodeGroupProvider::isRetryable)
                .failAfterMaxAttempts(false)
                .build());
        this.rateLimiter = RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(policy.callsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(policy.callTimeout())
                .build());
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(policy.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.circuits = new NodeGroupCircuits(name, policy.circuit(), scheduler,
                Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return guarded("nodeGroups", null, delegate::nodeGroups);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        return guarded("increaseSize", nodeGroup, () -> delegate.increaseSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        return guarded("deleteNodes", null, () -> delegate.deleteNodes(nodeGroup, nodes));
    }

    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        return guarded("decreaseTargetSize", null, () -> delegate.decreaseTargetSize(nodeGroup, delta));
    }

    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return guarded("instances", null, () -> delegate.instances(nodeGroup));
    }

    /** A late capacity failure counts on the group's circuit as a refused scale-up does. */
    @Override
    public void scaleUpFailed(String nodeGroup, ProviderException error) {
        circuits.recordLateFailure(nodeGroup, error);
        delegate.scaleUpFailed(nodeGroup, error);
    }

    /** The state of a group's scale-up circuit; CLOSED for a group never scaled. */
    public CircuitState circuitState(String nodeGroup) {
        return circuits.state(nodeGroup);
    }

    /** The groups whose circuit is OPEN now (not HALF_OPEN: those should get their probe), for the planner to skip. */
    public Set<String> openCircuits() {
        return circuits.open();
    }

    /** The groups whose circuit is HALF_OPEN now: waiting on a probe, so not yet trusted with a move to arm64. */
    public Set<String> halfOpenCircuits() {
        return circuits.inState(CircuitState.HALF_OPEN);
    }

    private static boolean isRetryable(Throwable t) {
        return Stages.unwrap(t) instanceof ProviderException p && p.retryable();
    }

    /** @param circuitGroup the group whose circuit guards the call, or null for none */
    private <T> CompletionStage<T> guarded(String operation, String circuitGroup, Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Stages.relay(Stages.call(Retry.decorateCompletionStage(retry, scheduler,
                () -> attempt(operation, circuitGroup, call))), result);
        return result;
    }

    private <T> CompletionStage<T> attempt(String operation, String group, Supplier<CompletionStage<T>> call) {
        if (group == null) {
            return rateLimited(operation, call);
        }
        CircuitBreaker circuit = circuits.of(group);
        if (!circuit.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new CircuitOpenException(delegate.id(), operation, group));
        }
        long start = circuit.getCurrentTimestamp();
        CompletableFuture<T> result = new CompletableFuture<>();
        rateLimited(operation, call).whenComplete((value, failure) -> {
            long elapsed = circuit.getCurrentTimestamp() - start;
            if (failure == null) {
                circuit.onSuccess(elapsed, circuit.getTimestampUnit());
                result.complete(value);
            } else {
                Throwable cause = Stages.unwrap(failure);
                circuit.onError(elapsed, circuit.getTimestampUnit(), cause);
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> rateLimited(String operation, Supplier<CompletionStage<T>> call) {
        long waitNanos = rateLimiter.reservePermission();
        if (waitNanos < 0) {
            return CompletableFuture.failedFuture(new CallRejectedException(delegate.id(), operation,
                    CallRejectedException.RATE_LIMITED, "over " + policy.callsPerSecond() + " calls/s for longer than "
                    + policy.callTimeout().toMillis() + " ms"));
        }
        if (waitNanos == 0) {
            return bulkheaded(operation, call);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.schedule(() -> Stages.relay(bulkheaded(operation, call), result), waitNanos, TimeUnit.NANOSECONDS);
        return result;
    }

    private <T> CompletableFuture<T> bulkheaded(String operation, Supplier<CompletionStage<T>> call) {
        if (!bulkhead.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new CallRejectedException(delegate.id(), operation,
                    CallRejectedException.BULKHEAD_FULL, "already " + policy.maxConcurrentCalls() + " calls in flight"));
        }
        CompletableFuture<T> result = timed(operation, call);
        result.whenComplete((value, failure) -> bulkhead.onComplete());
        return result;
    }

    private <T> CompletableFuture<T> timed(String operation, Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Duration timeout = policy.callTimeout();
        ScheduledFuture<?> timer = scheduler.schedule(
                () -> result.completeExceptionally(new CallTimeoutException(delegate.id(), operation, timeout,
                        !CHANGES_BY_DELTA.contains(operation))),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        Stages.call(call).whenComplete((value, failure) -> {
            timer.cancel(false);
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(outcomeKnown(operation, Stages.unwrap(failure)));
            }
        });
        return result;
    }

    /**
     * A timeout the provider itself reports (the SDK's own call timeout, say) on a call that
     * changes a size by a delta is as unknown in outcome as one of ours: not to be repeated.
     */
    private Throwable outcomeKnown(String operation, Throwable failure) {
        if (CHANGES_BY_DELTA.contains(operation) && failure instanceof ProviderException p && p.retryable()
                && "Timeout".equals(p.reason())) {
            return new CallTimeoutException(delegate.id(), operation, policy.callTimeout(), false);
        }
        return failure;
    }
}
