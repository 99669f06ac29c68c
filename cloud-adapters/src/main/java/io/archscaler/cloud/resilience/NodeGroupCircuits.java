package io.archscaler.cloud.resilience;

import io.archscaler.cloud.InsufficientCapacityException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One resilience4j circuit breaker per node group. Only {@link InsufficientCapacityException}
 * is a failure; every other error is ignored (it neither opens the circuit nor counts as a
 * success), since throttling or a timeout says nothing about the group's capacity; a successful
 * scale-up is a success. The move from OPEN to HALF_OPEN is scheduled on the given scheduler
 * (resilience4j's own automatic transition would use a global thread), so a planner that skips
 * open groups still sees the group come back and send its probe.
 */
final class NodeGroupCircuits {
    private static final Logger LOG = LoggerFactory.getLogger(NodeGroupCircuits.class);

    private final String provider;
    private final ResiliencePolicy.Circuit policy;
    private final ScheduledExecutorService scheduler;
    private final CircuitListener listener;
    private final CircuitBreakerConfig config;
    private final Map<String, CircuitBreaker> circuits = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> openings = new ConcurrentHashMap<>();
    private final Map<String, Integer> lateFailures = new ConcurrentHashMap<>();

    NodeGroupCircuits(String provider, ResiliencePolicy.Circuit policy, ScheduledExecutorService scheduler,
                      CircuitListener listener) {
        this.provider = provider;
        this.policy = policy;
        this.scheduler = scheduler;
        this.listener = listener;
        int n = policy.consecutiveFailures();
        this.config = CircuitBreakerConfig.custom()
                // a count window of n at a 100% failure rate opens on n recorded failures in a row
                .slidingWindow(n, n, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100f)
                .permittedNumberOfCallsInHalfOpenState(policy.halfOpenProbes())
                .waitDurationInOpenState(policy.openWait())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(NodeGroupCircuits::isCapacityError)
                .ignoreException(t -> !isCapacityError(t))
                .writableStackTraceEnabled(false)
                .build();
    }

    static boolean isCapacityError(Throwable t) {
        return Stages.unwrap(t) instanceof InsufficientCapacityException;
    }

    CircuitBreaker of(String nodeGroup) {
        return circuits.computeIfAbsent(nodeGroup, this::create);
    }

    /**
     * A scale-up that was accepted and failed afterwards for capacity. Its acceptance was recorded
     * as a success, which would keep the count window from ever filling, so late capacity failures
     * are counted apart: {@code consecutiveFailures} of them (with no opening between) open the
     * circuit, and one that comes while it is half open (the probe's nodes never came) reopens it.
     * Failures that say nothing about capacity are not counted.
     */
    void recordLateFailure(String nodeGroup, Throwable error) {
        if (!isCapacityError(error)) {
            return;
        }
        CircuitBreaker cb = of(nodeGroup);
        int late = lateFailures.merge(nodeGroup, 1, Integer::sum);
        CircuitBreaker.State state = cb.getState();
        if (state == CircuitBreaker.State.HALF_OPEN
                || (state == CircuitBreaker.State.CLOSED && late >= policy.consecutiveFailures())) {
            cb.transitionToOpenState();
        }
    }

    CircuitState state(String nodeGroup) {
        CircuitBreaker cb = circuits.get(nodeGroup);
        return cb == null ? CircuitState.CLOSED : map(cb.getState());
    }

    Set<String> open() {
        return inState(CircuitState.OPEN);
    }

    Set<String> inState(CircuitState state) {
        Set<String> out = new TreeSet<>();
        circuits.forEach((group, cb) -> {
            if (map(cb.getState()) == state) {
                out.add(group);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    private CircuitBreaker create(String nodeGroup) {
        CircuitBreaker cb = CircuitBreaker.of(provider + "/" + nodeGroup, config);
        AtomicLong generation = openings.computeIfAbsent(nodeGroup, g -> new AtomicLong());
        cb.getEventPublisher().onStateTransition(event -> {
            CircuitState from = map(event.getStateTransition().getFromState());
            CircuitState to = map(event.getStateTransition().getToState());
            if (to == CircuitState.OPEN) {
                lateFailures.remove(nodeGroup);
                scheduleHalfOpen(cb, generation.incrementAndGet(), generation);
            }
            if (from != to) {
                LOG.info("{} node group {}: circuit {} -> {}", provider, nodeGroup, from, to);
                try {
                    listener.onTransition(provider, nodeGroup, from, to);
                } catch (RuntimeException e) {
                    LOG.warn("circuit listener failed for {} {}", provider, nodeGroup, e);
                }
            }
        });
        return cb;
    }

    /** Half-opens the circuit after the open wait, unless it has closed or opened again since. */
    private void scheduleHalfOpen(CircuitBreaker cb, long opening, AtomicLong generation) {
        scheduler.schedule(() -> {
            if (generation.get() == opening && cb.getState() == CircuitBreaker.State.OPEN) {
                try {
                    cb.transitionToHalfOpenState();
                } catch (IllegalStateException e) {
                    LOG.debug("circuit {} moved on before its half-open timer: {}", cb.getName(), e.getMessage());
                }
            }
        }, policy.openWait().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static CircuitState map(CircuitBreaker.State s) {
        return switch (s) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            default -> CircuitState.CLOSED;
        };
    }
}
