package io.archscaler.cloud.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ResilientNodeGroupProvider} guards calls to one provider.
 *
 * @param backoff            retries of retryable failures (throttling, 5xx, conflicts, timeouts, rejections)
 * @param circuit            the per-node-group circuit on scale-ups that hit insufficient capacity
 * @param callsPerSecond     the provider's rate limit; calls over it wait for the next second
 * @param maxConcurrentCalls the bulkhead: calls in flight at once; more are rejected (and retried)
 * @param callTimeout        the longest one attempt may take; also the longest a call waits for the rate limit
 */
public record ResiliencePolicy(Backoff backoff, Circuit circuit, int callsPerSecond, int maxConcurrentCalls,
                               Duration callTimeout) {

    /**
     * Exponential backoff with jitter: attempt n waits about {@code initial × multiplier^(n-1)}, spread by
     * ± {@code jitter} of itself, at most {@code max}.
     */
    public record Backoff(int maxAttempts, Duration initial, double multiplier, double jitter, Duration max) {
        public Backoff {
            require(maxAttempts >= 1, "backoff.maxAttempts must be at least 1, was " + maxAttempts);
            positive("backoff.initial", initial);
            require(multiplier >= 1.0, "backoff.multiplier must be at least 1, was " + multiplier);
            require(jitter >= 0.0 && jitter < 1.0, "backoff.jitter must be in [0, 1), was " + jitter);
            positive("backoff.max", max);
            require(max.compareTo(initial) >= 0, "backoff.max (" + max + ") must not be below backoff.initial (" + initial + ")");
        }
    }

    /**
     * A node group's circuit opens after {@code consecutiveFailures} insufficient-capacity errors with
     * no successful scale-up between them, stays open for {@code openWait}, then lets
     * {@code halfOpenProbes} scale-ups through: success closes it, another capacity error reopens it.
     */
    public record Circuit(int consecutiveFailures, Duration openWait, int halfOpenProbes) {
        public Circuit {
            require(consecutiveFailures >= 1, "circuit.consecutiveFailures must be at least 1, was " + consecutiveFailures);
            positive("circuit.openWait", openWait);
            require(halfOpenProbes >= 1, "circuit.halfOpenProbes must be at least 1, was " + halfOpenProbes);
        }
    }

    public ResiliencePolicy {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(circuit, "circuit");
        require(callsPerSecond >= 1, "callsPerSecond must be at least 1, was " + callsPerSecond);
        require(maxConcurrentCalls >= 1, "maxConcurrentCalls must be at least 1, was " + maxConcurrentCalls);
        positive("callTimeout", callTimeout);
    }

    /**
     * 4 attempts backing off from 200 ms doubling with ±50% jitter up to 5 s; circuit open after 3
     * capacity errors for 2 min, then 1 probe; 10 calls/s; 8 calls in flight; 30 s per call.
     */
    public static ResiliencePolicy defaults() {
        return new ResiliencePolicy(
                new Backoff(4, Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(5)),
                new Circuit(3, Duration.ofMinutes(2), 1),
                10, 8, Duration.ofSeconds(30));
    }

    public ResiliencePolicy withBackoff(Backoff b) {
        return new ResiliencePolicy(b, circuit, callsPerSecond, maxConcurrentCalls, callTimeout);
    }

    public ResiliencePolicy withCircuit(Circuit c) {
        return new ResiliencePolicy(backoff, c, callsPerSecond, maxConcurrentCalls, callTimeout);
    }

    public ResiliencePolicy withCallsPerSecond(int n) {
        return new ResiliencePolicy(backoff, circuit, n, maxConcurrentCalls, callTimeout);
    }

    public ResiliencePolicy withMaxConcurrentCalls(int n) {
        return new ResiliencePolicy(backoff, circuit, callsPerSecond, n, callTimeout);
    }

    public ResiliencePolicy withCallTimeout(Duration d) {
        return new ResiliencePolicy(backoff, circuit, callsPerSecond, maxConcurrentCalls, d);
    }

    private static void positive(String name, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), name + " must be a positive duration, was " + d);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("resilience policy: " + message);
        }
    }
}
