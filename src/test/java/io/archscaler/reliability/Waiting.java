package io.archscaler.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition without failing, so a fault test can write what it observed to the
 * reliability log before it asserts; a condition that throws counts as not yet true.
 */
final class Waiting {
    private Waiting() {
    }

    static boolean until(Duration atMost, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return true;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // not yet: the server or the controller is still coming back
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
    }

    /** Seconds since {@code startNanos}, for the table. */
    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
