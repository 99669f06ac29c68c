package io.archscaler.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "1s, PT1S", "10m, PT10M", "1h30m, PT1H30M", "1.5h, PT1H30M", "0, PT0S",
            "2h45m30.5s, PT2H45M30.5S", "250us, PT0.00025S", "100ns, PT0.0000001S"})
    void parsesGoDurations(String text, String iso) {
        assertThat(Durations.parse(text)).contains(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "-1s", "1d", "s", "1 s", "1h-5m", "PT1S", "99999999999h"})
    void refusesWhatGoRefuses(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT10S, 10s", "PT10M, 10m", "PT1H30M, 1h30m", "PT1H0.25S, 1h0.25s"})
    void formatsAsGoDoes(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
    }
}
