package io.archscaler.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cloud answers the periodic listing of node groups slowly (4 s), and the controller's own
 * scale-up lands while a listing is on its way: the sizes it reports were read before the
 * scale-up and must not undo it, or the nodes asked for stop counting as in flight and are asked
 * for again at the next planning round.
 */
class SlowCloudListingIT {
    private static final int PODS = 3;

    @Test
    void aGroupListingReadBeforeAScaleUpDoesNotMakeTheControllerAskAgain() throws Exception {
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), FaultHarness.Setup.single("14s", 10))
                .withScheduler()) {
            AtomicReference<SlowListingProvider> slow = new AtomicReference<>();
            h.wrapProviders(p -> {
                slow.set(new SlowListingProvider(p, h.executor, Duration.ofSeconds(4)));
                return slow.get();
            }, Set::of);
            FaultHarness.Replica c = h.start("c0");
            await().atMost(Duration.ofSeconds(20)).until(() -> c.status().getBoolean("leader"));
            int atStart = slow.get().listings();
            // the periodic listing (every 10 s) has just been sent: scale up while it is on its way
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> slow.get().listings() > atStart);
            long started = System.nanoTime();
            h.createPods("web", PODS, "250m", "5Gi", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> h.scaleUps("arm").size() == 1);
            // past the stale answer (4 s) and the next planning round of the still-pending pods (10 s)
            boolean allBound = Waiting.until(Duration.ofSeconds(30), () -> h.boundPods() == PODS);

            int calls = h.cloud.scaleUpCalls("arm") + h.cloud.scaleUpCalls("x86");
            int target = h.targetSize("arm") + h.targetSize("x86");
            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            long duplicates = audit.plannedTwice().size() + Math.max(0, calls - 1) + Math.max(0, target - PODS);
            ReliabilityLog.write(new ReliabilityLog.Fault("cloud-slow-listing",
                    "Slow cloud listing overtaken by a scale-up",
                    "SlowListingProvider answers nodeGroups() after 4 s with the sizes read when it was called; "
                            + PODS + " pods arrive just after a periodic listing was sent; nodes register after 14 s",
                    PODS, audit.decisions(), 0, duplicates, PODS - h.boundPods(),
                    "cloud calls " + calls + ", target size " + target + ", pods bound " + h.boundPods() + " of " + PODS,
                    Waiting.since(started)));

            assertThat(allBound).isTrue();
            assertThat(h.scaleUps()).hasSize(1);
            assertThat(calls).isEqualTo(1);
            assertThat(target).isEqualTo(PODS);
        }
    }
}
