package io.archscaler.cloud.resilience;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeteredNodeGroupProviderTest {
    record Observed(String provider, String operation, String nodeGroup, String outcome, Duration duration) {
    }

    private final FakeNodeGroupProvider fake = new FakeNodeGroupProvider();
    private final List<Observed> observed = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MeteredNodeGroupProvider metered = new MeteredNodeGroupProvider(fake,
            (p, op, g, outcome, d) -> observed.add(new Observed(p, op, g, outcome, d)), nanos::get);

    @Test
    void successIsRecordedWithItsDurationWhenTheCallCompletes() throws Exception {
        fake.holdNext(1);
        CompletionStage<Void> call = metered.increaseSize("arm", 3);
        nanos.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(observed).isEmpty();

        fake.releaseHeld();
        call.toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(observed).containsExactly(
                new Observed("fake", "increaseSize", "arm", "success", Duration.ofMillis(250)));
    }

    @Test
    void failureIsRecordedWithTheExceptionsReasonAndStillFailsTheCall() {
        fake.failNext(1, new InsufficientCapacityException("fake", "increaseSize", "arm", "no m7g.large in us-west-2a"));
        fake.failNext(1, new CloudApiException("fake", "deleteNodes", "Throttling", "Rate exceeded", true, null));

        assertThatThrownBy(() -> metered.increaseSize("arm", 1).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InsufficientCapacityException.class);
        assertThatThrownBy(() -> metered.deleteNodes("x86", List.of(new NodeRef("n", "p"))).toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CloudApiException.class);

        assertThat(observed).containsExactly(
                new Observed("fake", "increaseSize", "arm", "InsufficientCapacity", Duration.ZERO),
                new Observed("fake", "deleteNodes", "x86", "Throttling", Duration.ZERO));
    }

    @Test
    void decreaseTargetSizeIsForwardedAndRecorded() throws Exception {
        metered.decreaseTargetSize("arm", 2).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(fake.calls("decreaseTargetSize")).isEqualTo(1);
        assertThat(observed).containsExactly(
                new Observed("fake", "decreaseTargetSize", "arm", "success", Duration.ZERO));
    }

    @Test
    void callsAboutNoGroupAreRecordedWithAnEmptyGroup() throws Exception {
        metered.nodeGroups().toCompletableFuture().get(5, TimeUnit.SECONDS);
        metered.instances("arm").toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(observed).extracting(Observed::operation, Observed::nodeGroup, Observed::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nodeGroups", "", "success"),
                org.assertj.core.groups.Tuple.tuple("instances", "arm", "success"));
    }

    @Test
    void providerThatThrowsIsRecordedByExceptionClassAndFailsTheStage() {
        fake.throwNext(new IllegalStateException("boom"));

        assertThatThrownBy(() -> metered.increaseSize("arm", 1).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(observed).extracting(Observed::outcome).containsExactly("IllegalStateException");
    }

    @Test
    void observerThatThrowsDoesNotBreakTheCall() throws Exception {
        MeteredNodeGroupProvider careless = new MeteredNodeGroupProvider(fake, (p, op, g, outcome, d) -> {
            throw new IllegalStateException("meter registry closed");
        });

        assertThat(careless.instances("arm").toCompletableFuture().get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void meteringInsideResilienceSeesEveryAttempt() throws Exception {
        var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            ResilientNodeGroupProvider resilient = new ResilientNodeGroupProvider(
                    new MeteredNodeGroupProvider(fake, (p, op, g, outcome, d) ->
                            observed.add(new Observed(p, op, g, outcome, d))),
                    ResiliencePolicy.defaults().withBackoff(new ResiliencePolicy.Backoff(4, Duration.ofMillis(5), 2.0,
                            0.5, Duration.ofMillis(20))), scheduler);
            fake.failNext(2, new CloudApiException("fake", "increaseSize", "Throttling", "Rate exceeded", true, null));

            resilient.increaseSize("arm", 1).toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(observed).extracting(Observed::outcome).containsExactly("Throttling", "Throttling", "success");
            assertThat(observed).allSatisfy(o -> assertThat(o.duration()).isGreaterThanOrEqualTo(Duration.ZERO));
        } finally {
            scheduler.shutdownNow();
        }
    }
}
