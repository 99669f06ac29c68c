package io.archscaler.cloud.resilience;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResiliencePolicyTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ResiliencePolicy p = ResiliencePolicy.defaults();

        assertThat(p.backoff()).isEqualTo(new ResiliencePolicy.Backoff(4, Duration.ofMillis(200), 2.0, 0.5,
                Duration.ofSeconds(5)));
        assertThat(p.circuit()).isEqualTo(new ResiliencePolicy.Circuit(3, Duration.ofMinutes(2), 1));
        assertThat(p.callsPerSecond()).isEqualTo(10);
        assertThat(p.maxConcurrentCalls()).isEqualTo(8);
        assertThat(p.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    static Stream<Arguments> badPolicies() {
        Duration s = Duration.ofSeconds(1);
        return Stream.of(
                Arguments.of("backoff.maxAttempts", (Supplier<?>) () -> new ResiliencePolicy.Backoff(0, s, 2, 0.5, s)),
                Arguments.of("backoff.initial", (Supplier<?>) () -> new ResiliencePolicy.Backoff(1, Duration.ZERO, 2, 0.5, s)),
                Arguments.of("backoff.multiplier", (Supplier<?>) () -> new ResiliencePolicy.Backoff(1, s, 0.5, 0.5, s)),
                Arguments.of("backoff.jitter", (Supplier<?>) () -> new ResiliencePolicy.Backoff(1, s, 2, 1.0, s)),
                Arguments.of("backoff.max", (Supplier<?>) () -> new ResiliencePolicy.Backoff(1, s, 2, 0.5, Duration.ofMillis(1))),
                Arguments.of("circuit.consecutiveFailures", (Supplier<?>) () -> new ResiliencePolicy.Circuit(0, s, 1)),
                Arguments.of("circuit.openWait", (Supplier<?>) () -> new ResiliencePolicy.Circuit(3, null, 1)),
                Arguments.of("circuit.halfOpenProbes", (Supplier<?>) () -> new ResiliencePolicy.Circuit(3, s, 0)),
                Arguments.of("callsPerSecond", (Supplier<?>) () -> ResiliencePolicy.defaults().withCallsPerSecond(0)),
                Arguments.of("maxConcurrentCalls", (Supplier<?>) () -> ResiliencePolicy.defaults().withMaxConcurrentCalls(0)),
                Arguments.of("callTimeout", (Supplier<?>) () -> ResiliencePolicy.defaults().withCallTimeout(Duration.ofSeconds(-1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void badValueIsRefusedNamingTheField(String field, Supplier<?> build) {
        assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }
}
