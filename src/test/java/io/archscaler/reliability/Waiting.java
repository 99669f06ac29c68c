package io.archscaler.reliability;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * Waits for a condition without failing, so a fault test can write what it observed to the
 * reliability log before it asserts; a condition that throws counts as not yet true (the server
 * or the controller is still coming back).
 */
final class Waiting {
    private Waiting() {
    }

    static boolean until(Duration atMost, Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Seconds since {@code startNanos}, for the table. */
    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
