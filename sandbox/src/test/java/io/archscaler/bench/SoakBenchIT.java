package io.archscaler.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A short soak against the sandbox: pods come and go, the controller scales, the heap is read twice. */
class SoakBenchIT {

    @Test
    void podsChurnAgainstTheSandboxAndTheControllerKeepsUp() {
        List<String> progress = new ArrayList<>();

        SoakResult r = new SoakBench(Duration.ofSeconds(10), progress::add).run();

        assertThat(r.podsCreated()).isBetween(150, 200);
        assertThat(r.podsDeleted()).isPositive().isLessThan(r.podsCreated());
        assertThat(r.decisions()).isPositive();
        assertThat(r.failedDecisions()).isZero();
        assertThat(r.nodes()).isPositive();
        assertThat(r.podsScheduled()).isPositive();
        assertThat(r.heapStartMiB()).isPositive();
        assertThat(r.heapEndMiB()).isPositive();
        assertThat(r.toJson().getJsonObject("heapAfterGcMiB").fieldNames()).contains("start", "end", "growth");
        assertThat(progress).anyMatch(line -> line.startsWith("soak: settled"));
    }
}
