package io.archscaler.providers;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsCallObserverTest {

    @Test
    void everyCallIsCountedByProviderOperationAndOutcomeAndTimed() {
        try (ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            MetricsCallObserver observer = new MetricsCallObserver(metrics);

            observer.onCall("eks", "increaseSize", "arm", "ThrottlingException", Duration.ofMillis(40));
            observer.onCall("eks", "increaseSize", "arm", "success", Duration.ofMillis(60));
            observer.onCall("eks", "increaseSize", "x86", "success", Duration.ofMillis(100));

            Counter throttled = metrics.registry().find(MetricNames.CLOUD_API_CALLS)
                    .tags("provider", "eks", "operation", "increaseSize", "outcome", "ThrottlingException").counter();
            Counter succeeded = metrics.registry().find(MetricNames.CLOUD_API_CALLS)
                    .tags("provider", "eks", "operation", "increaseSize", "outcome", "success").counter();
            Timer duration = metrics.registry().find(MetricNames.CLOUD_API_CALL_DURATION)
                    .tags("provider", "eks", "operation", "increaseSize").timer();
            assertThat(throttled.count()).isEqualTo(1.0);
            assertThat(succeeded.count()).isEqualTo(2.0);
            assertThat(duration.count()).isEqualTo(3);
            assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200.0);
        }
    }
}
