package io.archscaler.cloud.resilience;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A call that changes a size by a delta and gets no answer may have been carried out: it is not
 * tried again (that could change the size twice) and fails as not retryable; reads are retried.
 */
class UnknownOutcomeTimeoutTest {
    private static final ResiliencePolicy POLICY = ResiliencePolicy.defaults()
            .withBackoff(new ResiliencePolicy.Backoff(3, Duration.ofMillis(10), 2.0, 0.5, Duration.ofMillis(10)))
            .withCallsPerSecond(1000)
            .withCallTimeout(Duration.ofMillis(100));

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final FakeNodeGroupProvider fake = new FakeNodeGroupProvider();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @org.junit.jupiter.api.Test
    void aTimeoutTheProviderReportsOnAScaleUpIsNotRepeatedEither() {
        ResilientNodeGroupProvider provider = new ResilientNodeGroupProvider(fake, POLICY, scheduler);
        fake.failNext(3, new io.archscaler.cloud.CloudApiException("eks", "UpdateNodegroupConfig", "Timeout",
                "Client execution did not complete before the specified timeout configuration", true, null));

        Throwable failure = catchThrowable(() -> provider.increaseSize("arm", 2).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));

        assertThat(failure.getCause()).isInstanceOfSatisfying(CallTimeoutException.class,
                e -> assertThat(e.retryable()).isFalse());
        assertThat(fake.calls("increaseSize")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"increaseSize, 1, false", "decreaseTargetSize, 1, false", "instances, 3, true", "deleteNodes, 3, true"})
    void aTimedOutCallIsRetriedOnlyWhenRepeatingItIsSafe(String operation, long attempts, boolean retryable) {
        ResilientNodeGroupProvider provider = new ResilientNodeGroupProvider(fake, POLICY, scheduler);
        fake.hangNext(3);

        CompletionStage<?> call = switch (operation) {
            case "increaseSize" -> provider.increaseSize("arm", 2);
            case "decreaseTargetSize" -> provider.decreaseTargetSize("arm", 1);
            case "instances" -> provider.instances("arm");
            default -> provider.deleteNodes("arm", java.util.List.of());
        };
        Throwable failure = catchThrowable(() -> call.toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
            assertThat(e.retryable()).isEqualTo(retryable);
            assertThat(e.reason()).isEqualTo("Timeout");
        });
        assertThat(fake.calls(operation)).isEqualTo(attempts);
    }
}
