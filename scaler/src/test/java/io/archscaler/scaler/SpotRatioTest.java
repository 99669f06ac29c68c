package io.archscaler.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpotRatioTest {
    @ParameterizedTest(name = "{0} of {1} replicas → at most {2} on spot")
    @CsvSource({
            "0.5, 4, 2",
            "0.7, 10, 7",
            "0.7, 3, 2",
            "0.29, 100, 29",
            "0, 5, 0",
            "1, 5, 5",
            "1.0, 0, 0",
            "0.5, -1, 0",
            "0.99, 1, 0",
    })
    void allowsTheFloorOfRatioTimesReplicasOnSpot(String ratio, int replicas, int expected) {
        assertThat(SpotRatio.parse(ratio).maxOnSpot(replicas)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ratio {0}, {1} replicas, {2} on spot, {3} in flight → spot allowed: {4}")
    @CsvSource({
            "0.5, 4, 2, 0, false",
            "0.5, 4, 1, 0, true",
            "0.5, 4, 1, 1, false",
            "0.5, 4, 0, 1, true",
            "0.5, 4, 0, 0, true",
            "0, 4, 0, 0, false",
            "1, 4, 3, 0, true",
            "1, 4, 4, 0, false",
            "0.7, 10, 6, 0, true",
            "0.7, 10, 5, 2, false",
            "0.5, 4, 5, 0, false",
            "0.5, 1, 0, 0, false",
    })
    void allowsSpotOnlyWhileThisPodAndThoseInFlightStayWithinTheShare(String ratio, int replicas, int onSpot,
                                                                      int inFlight, boolean allowed) {
        assertThat(SpotRatio.parse(ratio).allowsSpot(replicas, onSpot, inFlight)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "half", "1.5", "-0.1", "NaN", "Infinity", "70%"})
    void refusesWhatIsNotANumberBetweenZeroAndOne(String value) {
        assertThatThrownBy(() -> SpotRatio.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {" 0.7 ", "7e-1", "0.70"})
    void readsDecimalSpellings(String value) {
        assertThat(SpotRatio.parse(value).maxOnSpot(10)).isEqualTo(7);
    }
}
