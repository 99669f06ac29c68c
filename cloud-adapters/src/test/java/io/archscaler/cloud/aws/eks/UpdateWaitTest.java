package io.archscaler.cloud.aws.eks;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateWaitTest {

    @Test
    void thePauseDoublesUpToTheMaximum() {
        UpdateWait wait = UpdateWait.DEFAULT;

        assertThat(wait.delayAfter(0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(wait.delayAfter(1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(wait.delayAfter(3)).isEqualTo(Duration.ofSeconds(16));
        assertThat(wait.delayAfter(4)).isEqualTo(Duration.ofSeconds(30));
        assertThat(wait.delayAfter(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void nonsensicalSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> new UpdateWait(0, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .hasMessageContaining("maxChecks");
        assertThatThrownBy(() -> new UpdateWait(3, Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .hasMessageContaining("firstDelay <= maxDelay");
    }
}
