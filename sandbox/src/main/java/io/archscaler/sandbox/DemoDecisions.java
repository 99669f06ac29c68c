package io.archscaler.sandbox;

import io.archscaler.events.Decision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** The decisions the demo saw, and what its summary counts of them. */
final class DemoDecisions {
    private final List<Decision> seen = new CopyOnWriteArrayList<>();

    void add(Decision d) {
        seen.add(d);
    }

    List<Decision> all() {
        return List.copyOf(seen);
    }

    /** Nodes removed by scale-down (idle or underutilized) since {@code since}, not by a move to arm64. */
    List<Decision> scaleDowns(Instant since) {
        return removed().filter(d -> !d.isMoveToArm64() && !d.time().isBefore(since)).toList();
    }

    /** amd64 nodes removed once their pods moved to arm64. */
    List<Decision> restores() {
        return removed().filter(Decision::isMoveToArm64).toList();
    }

    private Stream<Decision> removed() {
        return seen.stream().filter(d -> d.action() == Decision.SCALE_DOWN && d.outcome() == Decision.SUCCEEDED);
    }

    /** Scale-ups for pending pods and ahead of the HPA; the arm64 capacity of moves counts with the restores. */
    DemoSummary.ScaleUps scaleUps() {
        int requested = 0;
        int failed = 0;
        int fallbacks = 0;
        for (Decision d : seen) {
            if (d.action() != Decision.SCALE_UP || d.isMoveToArm64()) {
                continue;
            }
            if (d.outcome() == Decision.FAILED) {
                failed++;
            } else {
                requested++;
                if (d.isFallback()) {
                    fallbacks += (int) d.pods().stream().filter(p -> !DemoSnapshot.isLocked(p)).count();
                }
            }
        }
        return new DemoSummary.ScaleUps(requested, failed, fallbacks);
    }

    /** How long before the HPA acted the first capacity ahead of it was asked for, in seconds. */
    double secondsAheadOf(Instant hpaActedAt) {
        for (Decision d : seen) {
            if (d.isAheadOfHpa() && d.outcome() == Decision.REQUESTED) {
                return Duration.between(d.time(), hpaActedAt).toMillis() / 1000.0;
            }
        }
        return 0;
    }
}
