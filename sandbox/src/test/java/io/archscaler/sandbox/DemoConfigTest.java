package io.archscaler.sandbox;

import io.archscaler.config.ScaleUpConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's config against its script's timing: what the script waits for can happen while it waits. */
class DemoConfigTest {

    /**
     * The shortage's capacity error backs arm-general off and marks its offering out; the moves back
     * to arm64 need both to be over before the restore step stops waiting, at the speed the user
     * picked (1 by default and in DemoControlPlaneIT, 4 in DemoIT).
     */
    @ParameterizedTest(name = "--speed {0}")
    @ValueSource(doubles = {1, 4, 10, 100})
    void armGeneralIsTrustedAgainWhileTheRestoreStepWaits(double speed) {
        ScaleUpConfig up = Demo.config(0, speed).scaleUp();
        Duration trustedAgainAfter = up.backoffInitial().compareTo(up.offeringUnavailableFor()) > 0
                ? up.backoffInitial() : up.offeringUnavailableFor();

        assertThat(trustedAgainAfter).as("backoff %s, offering mark %s", up.backoffInitial(),
                up.offeringUnavailableFor()).isLessThan(Demo.stepWait(speed));
    }

    /** The script says the pods move "once its backoff passes": the offering mark is not what holds them longer. */
    @ParameterizedTest(name = "--speed {0}")
    @ValueSource(doubles = {1, 4})
    void theOfferingMarkEndsNoLaterThanTheBackoff(double speed) {
        ScaleUpConfig up = Demo.config(0, speed).scaleUp();

        assertThat(up.offeringUnavailableFor()).isLessThanOrEqualTo(up.backoffInitial());
    }
}
