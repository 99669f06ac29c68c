package io.archscaler.cloud.resilience;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResilientNodeGroupProviderTest {
    private static final ResiliencePolicy FAST = ResiliencePolicy.defaults()
            .withBackoff(new ResiliencePolicy.Backoff(4, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(100)))
            .withCircuit(new ResiliencePolicy.Circuit(3, Duration.ofMillis(300), 1))
            .withCallsPerSecond(1000)
            .withCallTimeout(Duration.ofSeconds(10));

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final FakeNodeGroupProvider fake = new FakeNodeGroupProvider();
    private final List<String> transitions = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void throttlingTwiceThenSuccessIsRetriedToSuccessInThreeCalls() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(2, throttling());

        get(provider.increaseSize("arm", 2));

        assertThat(fake.calls("increaseSize")).isEqualTo(3);
    }

    @Test
    void decreaseTargetSizeReachesTheProviderAndIsRetriedOnThrottling() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(1, throttling());

        get(provider.decreaseTargetSize("arm", 1));

        assertThat(fake.calls("decreaseTargetSize")).isEqualTo(2);
    }

    @Test
    void retryableFailureSurfacesAfterMaxAttempts() {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(10, throttling());

        assertThat(failure(provider.nodeGroups())).isInstanceOfSatisfying(CloudApiException.class,
                e -> assertThat(e.errorCode()).isEqualTo("Throttling"));
        assertThat(fake.calls("nodeGroups")).isEqualTo(4);
    }

    @Test
    void capacityErrorIsNotRetried() {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(1, capacity("arm"));

        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(InsufficientCapacityException.class);
        assertThat(fake.calls("increaseSize")).isEqualTo(1);
    }

    @Test
    void nonRetryableApiErrorIsNotRetried() {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(1, new CloudApiException("fake", "deleteNodes", "AccessDenied", "not allowed", false, null));

        assertThat(failure(provider.deleteNodes("arm", List.of(new NodeRef("n1", "fake:///n1")))))
                .isInstanceOf(CloudApiException.class);
        assertThat(fake.calls("deleteNodes")).isEqualTo(1);
    }

    @Test
    void threeCapacityErrorsOpenTheCircuitAndTheFourthScaleUpFailsFast() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withCircuit(
                new ResiliencePolicy.Circuit(3, Duration.ofMinutes(2), 1)));
        fake.failNext(3, capacity("arm"));
        for (int i = 0; i < 3; i++) {
            assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(InsufficientCapacityException.class);
        }

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.OPEN);
        assertThat(provider.openCircuits()).containsExactly("arm");
        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOfSatisfying(CircuitOpenException.class, e -> {
            assertThat(e.nodeGroup()).isEqualTo("arm");
            assertThat(e.reason()).isEqualTo("CircuitOpen");
            assertThat(e.retryable()).isFalse();
        });
        assertThat(fake.calls("increaseSize")).isEqualTo(3);
        assertThat(transitions).containsExactly("arm CLOSED->OPEN");
        // other groups, and scale-downs of the same group, are not held back
        get(provider.increaseSize("x86", 1));
        get(provider.deleteNodes("arm", List.of(new NodeRef("n1", "fake:///n1"))));
        assertThat(provider.circuitState("x86")).isEqualTo(CircuitState.CLOSED);
        assertThat(fake.calls()).hasSize(5);
    }

    @Test
    void scaleUpsAcceptedAndFailedLaterForCapacityOpenTheCircuitLikeRefusedOnes() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withCircuit(
                new ResiliencePolicy.Circuit(3, Duration.ofMinutes(2), 1)));
        for (int i = 0; i < 3; i++) {
            get(provider.increaseSize("arm", 1));
            provider.scaleUpFailed("arm", new InstanceError(InstanceError.Kind.CAPACITY, "InsufficientInstanceCapacity",
                    "We currently do not have sufficient m7g.large capacity").toException("fake", "arm"));
        }

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.OPEN);
        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(CircuitOpenException.class);
        assertThat(fake.calls("increaseSize")).isEqualTo(3);
    }

    @Test
    void lateFailuresThatAreNotAboutCapacityLeaveTheCircuitClosed() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withCircuit(
                new ResiliencePolicy.Circuit(1, Duration.ofMinutes(2), 1)));
        get(provider.increaseSize("arm", 1));
        provider.scaleUpFailed("arm", new InstanceError(InstanceError.Kind.CONFIGURATION, "InvalidAMIID.NotFound",
                "The image id '[ami-0123456789abcdef0]' does not exist").toException("fake", "arm"));

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void capacityErrorsSeparatedByASuccessDoNotOpenTheCircuit() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(2, capacity("arm"));
        failure(provider.increaseSize("arm", 1));
        failure(provider.increaseSize("arm", 1));
        get(provider.increaseSize("arm", 1));
        fake.failNext(1, capacity("arm"));
        failure(provider.increaseSize("arm", 1));

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void otherErrorsNeitherCountNorResetTheCapacityStreak() {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.failNext(2, capacity("arm"));
        failure(provider.increaseSize("arm", 1));
        failure(provider.increaseSize("arm", 1));
        fake.failNext(1, new CloudApiException("fake", "increaseSize", "AccessDenied", "no", false, null));
        failure(provider.increaseSize("arm", 1));
        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);

        fake.failNext(1, capacity("arm"));
        failure(provider.increaseSize("arm", 1));

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void afterTheOpenWaitASuccessfulHalfOpenProbeClosesTheCircuit() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST);
        openCircuit(provider, "arm");

        // the scheduler half-opens it: nobody has to call into an open circuit for it to recover
        await().atMost(Duration.ofSeconds(10)).until(() -> provider.circuitState("arm") == CircuitState.HALF_OPEN);
        assertThat(provider.openCircuits()).isEmpty();
        get(provider.increaseSize("arm", 1));

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);
        assertThat(fake.calls("increaseSize")).isEqualTo(4);
        assertThat(transitions).containsExactly("arm CLOSED->OPEN", "arm OPEN->HALF_OPEN", "arm HALF_OPEN->CLOSED");
    }

    @Test
    void halfOpenLetsOneProbeThroughAndAFailedProbeReopens() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST);
        openCircuit(provider, "arm");
        await().atMost(Duration.ofSeconds(10)).until(() -> provider.circuitState("arm") == CircuitState.HALF_OPEN);

        fake.holdNext(1);
        CompletionStage<Void> probe = provider.increaseSize("arm", 1);
        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(CircuitOpenException.class);
        assertThat(fake.calls("increaseSize")).isEqualTo(4);
        fake.releaseHeld();
        get(probe);
        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);

        openCircuit(provider, "arm");
        await().atMost(Duration.ofSeconds(10)).until(() -> provider.circuitState("arm") == CircuitState.HALF_OPEN);
        fake.failNext(1, capacity("arm"));
        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(InsufficientCapacityException.class);
        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void rateLimiterSpacesCallsOverPeriods() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withCallsPerSecond(2));
        List<CompletionStage<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stages.add(provider.increaseSize("arm", 1));
        }
        for (CompletionStage<Void> s : stages) {
            get(s);
        }

        List<FakeNodeGroupProvider.Call> calls = fake.calls();
        assertThat(calls).hasSize(6);
        // 6 calls at 2 per second take three periods: the last starts at least a period after the first
        long spanNanos = calls.get(5).nanoTime() - calls.get(0).nanoTime();
        assertThat(Duration.ofNanos(spanNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void bulkheadRejectsCallsOverTheLimitWithoutReachingTheProvider() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withMaxConcurrentCalls(2)
                .withBackoff(new ResiliencePolicy.Backoff(1, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(10))));
        fake.holdNext(2);
        CompletionStage<Void> first = provider.increaseSize("arm", 1);
        CompletionStage<Void> second = provider.increaseSize("x86", 1);

        assertThat(failure(provider.increaseSize("big", 1))).isInstanceOfSatisfying(CallRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(CallRejectedException.BULKHEAD_FULL);
            assertThat(e.retryable()).isTrue();
        });
        assertThat(fake.calls()).hasSize(2);

        fake.releaseHeld();
        get(first);
        get(second);
        get(provider.increaseSize("big", 1));
        assertThat(fake.calls()).hasSize(3);
    }

    @Test
    void callRejectedByTheBulkheadIsRetriedUntilThereIsRoom() throws Exception {
        ResilientNodeGroupProvider provider = resilient(FAST.withMaxConcurrentCalls(1)
                .withBackoff(new ResiliencePolicy.Backoff(4, Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(1))));
        fake.holdNext(1);
        CompletionStage<Void> first = provider.increaseSize("arm", 1);
        CompletionStage<Void> queued = provider.increaseSize("x86", 1);
        assertThat(fake.calls()).hasSize(1);

        fake.releaseHeld();
        get(first);
        get(queued);

        assertThat(fake.calls()).extracting(FakeNodeGroupProvider.Call::nodeGroup).containsExactly("arm", "x86");
    }

    @Test
    void callThatNeverCompletesTimesOutAndIsRetried() {
        ResilientNodeGroupProvider provider = resilient(FAST.withCallTimeout(Duration.ofMillis(200))
                .withBackoff(new ResiliencePolicy.Backoff(2, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(10))));
        fake.hangNext(2);

        assertThat(failure(provider.instances("arm"))).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
            assertThat(e.reason()).isEqualTo("Timeout");
            assertThat(e.retryable()).isTrue();
            assertThat(e.operation()).isEqualTo("instances");
        });
        assertThat(fake.calls("instances")).isEqualTo(2);
    }

    @Test
    void timeoutsDoNotOpenTheCircuit() {
        ResilientNodeGroupProvider provider = resilient(FAST.withCallTimeout(Duration.ofMillis(100))
                .withBackoff(new ResiliencePolicy.Backoff(1, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(10))));
        fake.hangNext(4);
        for (int i = 0; i < 4; i++) {
            assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(CallTimeoutException.class);
        }

        assertThat(provider.circuitState("arm")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void providerThatThrowsInsteadOfFailingTheStageStillYieldsAFailedStage() {
        ResilientNodeGroupProvider provider = resilient(FAST);
        fake.throwNext(new IllegalStateException("boom"));

        assertThat(failure(provider.increaseSize("arm", 1))).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(fake.calls()).hasSize(1);
    }

    private void openCircuit(ResilientNodeGroupProvider provider, String group) {
        int needed = 3;
        fake.failNext(needed, capacity(group));
        for (int i = 0; i < needed; i++) {
            failure(provider.increaseSize(group, 1));
        }
        assertThat(provider.circuitState(group)).isEqualTo(CircuitState.OPEN);
    }

    private ResilientNodeGroupProvider resilient(ResiliencePolicy policy) {
        return new ResilientNodeGroupProvider(fake, policy, scheduler,
                (provider, group, from, to) -> transitions.add(group + " " + from + "->" + to));
    }

    private static CloudApiException throttling() {
        return new CloudApiException("fake", "call", "Throttling", "Rate exceeded", true, null);
    }

    private static InsufficientCapacityException capacity(String group) {
        return new InsufficientCapacityException("fake", "increaseSize", group, "InsufficientInstanceCapacity");
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** The failure a stage completes with (the stage must fail). */
    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("stage did not fail in time", e);
        }
        throw new AssertionError("stage succeeded but a failure was expected");
    }
}
