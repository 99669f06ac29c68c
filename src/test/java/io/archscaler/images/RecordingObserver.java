package io.archscaler.images;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it is told, as metrics would count it. */
final class RecordingObserver implements ImageLookupObserver {
    final List<String> lookups = new CopyOnWriteArrayList<>();
    final List<ReviewOutcome> reviews = new CopyOnWriteArrayList<>();

    @Override
    public void lookedUp(String registry, LookupOutcome outcome, Duration elapsed) {
        lookups.add(outcome.word());
    }

    @Override
    public void reviewed(ReviewOutcome outcome, Duration elapsed) {
        reviews.add(outcome);
    }
}
