package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
    @ParameterizedTest(name = "{0} plain HTTP: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost              | true
            localhost:5000         | true
            127.0.0.1:5000         | true
            127.12.0.9             | true
            [::1]:5000             | true
            registry.lab:5000      | true
            build.lab              | true
            ghcr.io                | false
            127.0.0.1.example.com  | false
            10.0.0.5:5000          | false
            registry.lab:5001      | false
            """)
    void loopbackAndInsecureRegistriesAreSpokenToOverPlainHttp(String host, boolean plain) {
        RegistryConfig config = RegistryConfig.defaults().withInsecure(List.of("registry.lab:5000", "build.lab"));
        assertThat(config.plainHttp(host)).isEqualTo(plain);
    }

    @Test
    void defaultsAreAnHourFiveMinutesFiveSecondsAndEight() {
        RegistryConfig config = RegistryConfig.defaults();
        assertThat(config.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.negativeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxConcurrent()).isEqualTo(8);
        assertThat(config.onUnknown()).isEqualTo(RegistryConfig.OnUnknown.ASSUME_MULTIARCH);
    }

    @Test
    void mirrorsOfDockerHubAreFoundByAnyOfItsNames() {
        RegistryConfig config = RegistryConfig.defaults().withMirrors(Map.of("docker.io", List.of("mirror.gcr.io", "hub-cache.lab:5000")));
        assertThat(config.mirrorsOf(ImageReference.DOCKER_HUB)).containsExactly("mirror.gcr.io", "hub-cache.lab:5000");
        assertThat(config.mirrorsOf("ghcr.io")).isEmpty();
    }

    @Test
    void refusesDurationsThatAreNotPositiveAndNoConcurrency() {
        assertThatThrownBy(() -> RegistryConfig.defaults().withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("registries.timeout must be positive, was PT0S");
        assertThatThrownBy(() -> RegistryConfig.defaults().withTtls(Duration.ofMinutes(-1), null))
                .hasMessage("registries.ttl must be positive, was PT-1M");
        assertThatThrownBy(() -> RegistryConfig.defaults().withMaxConcurrent(0))
                .hasMessage("registries.maxConcurrent must be at least 1, was 0");
    }
}
